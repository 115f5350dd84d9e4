import { describe, expect, it } from 'vitest'
import type { CrmPersonPhones, PersonModule } from '../crm/port.ts'
import { createZohoCrm } from './crm.ts'
import { useZohoHarness } from './harness-hook.ts'

describe('Zoho CRM adapter: people with their numbers (phone directory)', () => {
  const startHarness = useZohoHarness()
  const start = async (simOptions = {}) => {
    const harness = await startHarness(simOptions)
    return { harness, crm: createZohoCrm(harness.client()) }
  }

  const everyone = async (crm: ReturnType<typeof createZohoCrm>, module: PersonModule) => {
    const people: CrmPersonPhones[] = []
    let next: string | undefined
    let pages = 0
    do {
      const page = await crm.listPeople(module, next)
      pages += 1
      people.push(...page.people)
      next = page.next
    } while (next)
    return { people, pages }
  }

  it('pages every lead with page_token and reads numbers as people type them into E.164', async () => {
    const { harness, crm } = await start()
    harness.sim.seed(
      'Leads',
      Array.from({ length: 230 }, (_, i) => ({
        Last_Name: `Lead ${i}`,
        Phone: `(415) 555-${String(i).padStart(4, '0')}`,
      })),
    )
    const [typed] = harness.sim.seed('Leads', [
      {
        First_Name: 'Kim',
        Last_Name: 'Typed',
        Phone: '+1 415-555-0999',
        Mobile: '4155550998',
        Fax: 'n/a',
        Owner: { id: '5725767000000300002' },
      },
    ])
    harness.sim.seed('Leads', [{ Last_Name: 'Converted', Phone: '4155550997', Converted__s: true }])

    const { people, pages } = await everyone(crm, 'Leads')
    expect(pages).toBe(2)
    expect(people).toHaveLength(231)
    expect(people.find((person) => person.id === typed?.['id'])).toEqual({
      module: 'Leads',
      id: typed?.['id'],
      ownerId: '5725767000000300002',
      name: 'Kim Typed',
      createdAt: expect.any(Number),
      phones: [
        { e164: '+14155550999', field: 'Phone', preference: 0 },
        { e164: '+14155550998', field: 'Mobile', preference: 1 },
      ],
      unreadable: 1,
    })
    const requests = harness.sim.stats().requests
    expect(requests).toBe(2)
  })

  it("reads every phone field of a contact, and a person's current data by id without index lag", async () => {
    const { harness, crm } = await start({ indexLagMs: 60_000 })
    const client = harness.client()
    const { id } = await client.createRecord('Contacts', {
      Last_Name: 'Many',
      Home_Phone: '+44 20 7946 0958',
      Asst_Phone: '(415) 555-0100',
      Other_Phone: '415.555.0100',
    })
    const found = await crm.getPeople('Contacts', [id, '5725767000999999999'])
    expect(found).toEqual([
      expect.objectContaining({
        id,
        phones: [
          { e164: '+442079460958', field: 'Home_Phone', preference: 2 },
          { e164: '+14155550100', field: 'Other_Phone', preference: 3 },
        ],
      }),
    ])
    expect(await crm.getPeople('Contacts', ['5725767000999999999'])).toEqual([])
    expect(await crm.findPersonByPhone('+442079460958')).toBeNull()
  })

  it('reads more than 100 ids in requests of 100', async () => {
    const { harness, crm } = await start()
    const seeded = harness.sim.seed(
      'Contacts',
      Array.from({ length: 150 }, (_, i) => ({ Last_Name: `C${i}`, Mobile: `415555${1000 + i}` })),
    )
    const before = harness.sim.stats().requests
    const found = await crm.getPeople(
      'Contacts',
      seeded.map((record) => String(record['id'])),
    )
    expect(found).toHaveLength(150)
    expect(harness.sim.stats().requests - before).toBe(2)
  })
})
