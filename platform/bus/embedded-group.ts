/**
 * @module platform/bus/embedded-group
 * Consumer groups of the embedded bus, inside one bus instance: the members of a group split the
 * partitions of their topics. Every join or leave rebalances the group eagerly, like Kafka's
 * classic protocol: all members give up their partitions (finishing the in-flight message), then
 * the partitions are dealt out again. Rebalances of one group run one after another.
 */

export interface TopicPartition {
  readonly topic: string
  readonly partition: number
}

/** What the coordinator needs from a member. */
export interface GroupMember {
  readonly topics: readonly string[]
  /** Starts consuming these partitions. Called only after revoke() completed. */
  assign(partitions: readonly TopicPartition[]): void
  /** Stops consuming every partition; resolves when the in-flight messages are done. */
  revoke(): Promise<void>
}

/**
 * Deals every partition of the members' topics to the subscribed member holding the fewest so
 * far (the earliest member on a tie), so a group of N members gets shares differing by at most 1.
 */
export const assignPartitions = (
  members: readonly GroupMember[],
  partitionsOf: (topic: string) => number,
): Map<GroupMember, TopicPartition[]> => {
  const plan = new Map<GroupMember, TopicPartition[]>(members.map((member) => [member, []]))
  const topics = [...new Set(members.flatMap((member) => member.topics))].sort()
  for (const topic of topics) {
    const candidates = members.filter((member) => member.topics.includes(topic))
    for (let partition = 0; partition < partitionsOf(topic); partition++) {
      let chosen: TopicPartition[] | undefined
      for (const candidate of candidates) {
        const share = plan.get(candidate) ?? []
        if (chosen === undefined || share.length < chosen.length) chosen = share
      }
      chosen?.push({ topic, partition })
    }
  }
  return plan
}

interface Group {
  readonly members: GroupMember[]
  queue: Promise<void>
}

/** The groups of one embedded bus. */
export const createGroupCoordinator = (partitionsOf: (topic: string) => number) => {
  const groups = new Map<string, Group>()

  const rebalance = async (members: readonly GroupMember[]) => {
    await Promise.all(members.map((member) => member.revoke()))
    const plan = assignPartitions(members, partitionsOf)
    for (const member of members) member.assign(plan.get(member) ?? [])
  }

  const enqueue = (groupId: string, change: (group: Group) => Promise<void> | void) => {
    let group = groups.get(groupId)
    if (!group) {
      group = { members: [], queue: Promise.resolve() }
      groups.set(groupId, group)
    }
    const target = group
    const run = target.queue.then(async () => {
      await change(target)
      await rebalance(target.members)
    })
    target.queue = run.catch(() => {})
    return run
  }

  return {
    /** Adds the member; resolves once the group is rebalanced and the member consumes. */
    join: (groupId: string, member: GroupMember): Promise<void> =>
      enqueue(groupId, (group) => {
        group.members.push(member)
      }),
    /** Removes the member after its in-flight messages are done, then rebalances the rest. */
    leave: (groupId: string, member: GroupMember): Promise<void> =>
      enqueue(groupId, async (group) => {
        const index = group.members.indexOf(member)
        if (index >= 0) group.members.splice(index, 1)
        await member.revoke()
      }),
  }
}
