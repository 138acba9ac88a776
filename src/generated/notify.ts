// GENERATED FILE, DO NOT EDIT. Generated from schemas/notify.yml
// by `npm run generate-types` (scripts/generate-types.mjs); edit the schema and rerun that.
/* eslint-disable */

/**
 * One recipient, by type.
 */
export type Recipient = {
  type: 'email' | 'matrix-room' | 'pulse' | 'slack-channel';
  'status-type'?: StatusType;
  [k: string]: unknown;
};
/**
 * The task state that sends the notification.
 */
export type StatusType =
  'on-completed' | 'on-defined' | 'on-exception' | 'on-failed' | 'on-pending' | 'on-resolved' | 'on-running';

export interface Notify {
  /**
   * Who is told when the task reaches a state, and what they are told.
   */
  notify?: {
    recipients: Recipient[];
    /**
     * The message for each channel; strings may name `{task[...]}` and `{config[...]}`.
     */
    content?: {
      email?: {
        subject?: string;
        content?: string;
        link?: {
          text: string;
          href: string;
        };
      };
      matrix?: {
        body?: string;
        'formatted-body'?: string;
        format?: string;
        'msg-type'?: string;
      };
      slack?: {
        text?: string;
        blocks?: unknown[];
        attachments?: unknown[];
      };
    };
  };
  /**
   * The legacy form: email addresses (keyed by project or level), a subject, a message.
   */
  notifications?: {
    emails: string[] | KeyedBy;
    subject: string;
    message?: string;
    'status-types'?: StatusType[];
  };
  [k: string]: unknown;
}
/**
 * A value chosen by project or level: `{by-level: {...}}`.
 */
export interface KeyedBy {
  [k: string]: unknown;
}
