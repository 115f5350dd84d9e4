/**
 * @module gateway/channel-token
 * Where the Zoho keeper leaves a watch channel's token for the gateway's verifier (kv, shared by
 * every replica).
 */
export const zohoChannelTokenKey = (channelId: string) => `zoho:channel-token:${channelId}`
