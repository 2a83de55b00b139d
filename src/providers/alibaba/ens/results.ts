/**
 * The per-item outcomes of BatchEventRebootInstance: an item about the wrong event fails alone,
 * with a numeric Code and a message, while the rest of the batch goes ahead. Only Code 200 /
 * "success" is documented; the failure codes (HTTP-like: 404 for what does not exist, 400 for what
 * cannot be done) and their messages are this emulator's choice (see the README's fidelity notes).
 */
export interface ItemResult {
  Code: number;
  EventId: string;
  Message: string;
  ResourceId: string;
}

export interface Outcome {
  Code: number;
  Message: string;
}

export const outcomes = {
  success: (): Outcome => ({ Code: 200, Message: 'success' }),
  eventNotFound: (eventId: string): Outcome => ({ Code: 404, Message: `The specified event ${eventId} does not exist.` }),
  resourceMismatch: (eventId: string, resourceId: string): Outcome => ({
    Code: 400,
    Message: `The event ${eventId} does not belong to the resource ${resourceId}.`,
  }),
  unsupportedEventType: (eventType: string): Outcome => ({
    Code: 400,
    Message: `The event type ${eventType} does not support this operation; only Instance:SystemMaintenance.Reboot events can be rebooted.`,
  }),
  incorrectEventStatus: (eventId: string, status: string): Outcome => ({
    Code: 400,
    Message: `The event ${eventId} is already ${status}.`,
  }),
  instanceNotFound: (resourceId: string): Outcome => ({ Code: 404, Message: `The specified instance ${resourceId} does not exist.` }),
  incorrectInstanceStatus: (resourceId: string, status: string): Outcome => ({
    Code: 400,
    Message: `The current status of the instance ${resourceId} (${status}) does not support this operation.`,
  }),
};

export function itemResult(outcome: Outcome, eventId: string, resourceId: string): ItemResult {
  return { Code: outcome.Code, EventId: eventId, Message: outcome.Message, ResourceId: resourceId };
}
