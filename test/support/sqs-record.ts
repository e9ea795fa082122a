/** An SQS message as the record of a Lambda SQS event, for handler tests. */
import type { SQSRecord } from 'aws-lambda';

/** `body`: a string as is, anything else as JSON. */
export function sqsRecord(body: unknown, messageId = 'm', receiveCount = 1): SQSRecord {
  return {
    messageId, receiptHandle: messageId, body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: { ApproximateReceiveCount: String(receiveCount), SentTimestamp: '0', SenderId: 'x', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn', awsRegion: 'us-east-1',
  };
}
