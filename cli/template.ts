/** The parts of a CloudFormation template the plan reads. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

export interface TemplateParameter {
  readonly Type: string;
  readonly Default?: unknown;
}

export interface Template {
  readonly Parameters?: Record<string, TemplateParameter>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  readonly Resources?: Record<string, TemplateResource>;
}
