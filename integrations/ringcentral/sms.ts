/**
 * @module integrations/ringcentral/sms
 * Outbound SMS from the JWT user's extension (`POST /account/~/extension/~/sms`, Medium group per
 * RingCentral's API reference). Not retried after a 5xx or a lost answer: that could text twice.
 */
import type { Api } from './api.ts'
import { SmsMessage } from './schemas.ts'

/** Input of {@link SmsApi.sendSms}; numbers in E.164. */
export interface SendSmsInput {
  /** A number of the JWT user that is enabled for SMS. */
  readonly from: string
  readonly to: string | readonly string[]
  readonly text: string
}

/** SMS method of the client. */
export interface SmsApi {
  sendSms(input: SendSmsInput): Promise<SmsMessage>
}

/** Creates the {@link SmsApi}. */
export const createSmsApi = (api: Api): SmsApi => ({
  sendSms: ({ from, to, text }) =>
    api.json(
      'Medium',
      {
        method: 'POST',
        url: '/restapi/v1.0/account/~/extension/~/sms',
        body: {
          from: { phoneNumber: from },
          to: (typeof to === 'string' ? [to] : to).map((phoneNumber) => ({ phoneNumber })),
          text,
        },
      },
      SmsMessage,
    ),
})
