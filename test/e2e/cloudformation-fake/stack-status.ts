/**
 * DescribeStacks of the CloudFormation fake: a stack's status as the test says it is at this
 * moment of an operation (User Guide, "Stack status codes"). A stack is found by its id or, while
 * it is not deleted, by its name; a deleted stack is found by its id only, DELETE_COMPLETE
 * (DescribeStacks API reference); anything else is "does not exist" (a ValidationError).
 */
import { randomUUID } from 'crypto';

export class StackStatuses {
  private readonly stacks = new Map<string, string>();

  /** Sets the status of the stack `stackId` (arn:aws:cloudformation:region:account:stack/NAME/guid). */
  set(stackId: string, status: string): void {
    this.stacks.set(stackId, status);
  }

  /** The stack's id and status, for DescribeStacks' StackName (an id, or a name of a stack not deleted). */
  find(stackName: string): { stackId: string; status: string } | undefined {
    for (const [stackId, status] of this.stacks) {
      if (stackId === stackName || (nameOf(stackId) === stackName && status !== 'DELETE_COMPLETE')) return { stackId, status };
    }
    return undefined;
  }
}

export function describeStacksReply(statuses: StackStatuses, stackName: string): [number, string] {
  const found = statuses.find(stackName);
  if (!found) {
    return [400, `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type>`
      + `<Code>ValidationError</Code><Message>Stack with id ${escape(stackName)} does not exist</Message></Error>`
      + `<RequestId>${randomUUID()}</RequestId></ErrorResponse>`];
  }
  return [200, `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member>`
    + `<StackId>${escape(found.stackId)}</StackId><StackName>${escape(nameOf(found.stackId))}</StackName>`
    + `<CreationTime>2026-01-01T00:00:00.000Z</CreationTime><StackStatus>${escape(found.status)}</StackStatus>`
    + `</member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></DescribeStacksResponse>`];
}

function nameOf(stackId: string): string {
  return stackId.split('/')[1] ?? stackId;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
