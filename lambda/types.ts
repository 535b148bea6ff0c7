/**
 * The provider framework's request and response shapes, from `@types/aws-lambda` (kept in step
 * with real events): the handler receives CloudFormation's request as it was sent, and isComplete
 * receives it again with onEvent's PhysicalResourceId and Data merged in.
 */
import type {
  CdkCustomResourceEvent, CdkCustomResourceIsCompleteEvent, CdkCustomResourceIsCompleteResponse, CdkCustomResourceResponse,
} from 'aws-lambda';

/** Every value the handler puts in `Data` is a string, as CloudFormation attributes are. */
export type ResponseData = Record<string, string>;

export type OnEventRequest = CdkCustomResourceEvent;
export type OnEventResponse = CdkCustomResourceResponse<ResponseData>;
export type IsCompleteRequest = CdkCustomResourceIsCompleteEvent<OnEventRequest['ResourceProperties'], ResponseData>;
export type IsCompleteResponse = CdkCustomResourceIsCompleteResponse<ResponseData>;
