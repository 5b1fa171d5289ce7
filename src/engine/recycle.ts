/** Forces fresh execution environments, so a measured fan-out starts cold as a real job would. */
import { GetFunctionConfigurationCommand, UpdateFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { pollUntil } from './poll';

/** Variable whose change makes Lambda (and the local platform) retire every warm instance. */
export const RECYCLE_VARIABLE = 'PROPACK_GENERATION';

/** Bumps the function's generation variable (other variables kept) and waits until the change applied (timeout in ms). */
export async function recycleInstances(client: LambdaClient, functionName: string, timeoutMs = 120_000): Promise<void> {
  const cfg = await client.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
  const vars = { ...(cfg.Environment?.Variables ?? {}), [RECYCLE_VARIABLE]: `${Date.now()}` };
  await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: functionName, Environment: { Variables: vars } }));
  await pollUntil(
    async () => {
      const c = await client.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
      return c.LastUpdateStatus !== 'InProgress';
    },
    { timeoutMs, what: `${functionName}: new instances still not ready` },
  );
}
