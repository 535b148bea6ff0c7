/**
 * An SSM client for handler unit tests whose parameters live in memory (aws-sdk-client-mock on
 * this one instance): GetParameter answers ParameterNotFound for a name never put, as SSM does.
 * The end-to-end path uses the SSM stand-in (test/e2e/ssm-fake) instead.
 */
import { GetParameterCommand, GetParametersCommand, ParameterNotFound, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';

export function memorySsm(): SSMClient & { readonly parameters: Map<string, string> } {
  const client = new SSMClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  const parameters = new Map<string, string>();
  const mock = mockClient(client);
  mock.on(GetParameterCommand).callsFake((input: { Name: string }) => {
    const value = parameters.get(input.Name);
    if (value === undefined) throw new ParameterNotFound({ message: `Parameter ${input.Name} not found.`, $metadata: {} });
    return { Parameter: { Name: input.Name, Value: value, Type: 'String' } };
  });
  mock.on(GetParametersCommand).callsFake((input: { Names: string[] }) => ({
    Parameters: input.Names.filter((name) => parameters.has(name)).map((name) => ({ Name: name, Value: parameters.get(name), Type: 'String' })),
    InvalidParameters: input.Names.filter((name) => !parameters.has(name)),
  }));
  mock.on(PutParameterCommand).callsFake((input: { Name: string; Value: string }) => {
    parameters.set(input.Name, input.Value);
    return { Version: 1 };
  });
  return Object.assign(client, { parameters });
}
