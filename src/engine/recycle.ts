/** Forces fresh execution environments, so a measured fan-out starts cold as a real job would. */
import { GetFunctionConfigurationCommand, UpdateFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';

/** Variable whose change makes Lambda (and the local platform) retire every warm instance. */
export const RECYCLE_VARIABLE = 'PROPACK_GENERATION';

/** Bumps the function's generation variable (other variables kept) and waits until the change applied. */
export async function recycleInstances(client: LambdaClient, functionName: string): Promise<void> {
  const cfg = await client.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
  const vars = { ...(cfg.Environment?.Variables ?? {}), [RECYCLE_VARIABLE]: `${Date.now()}` };
  await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: functionName, Environment: { Variables: vars } }));
  for (let delay = 50; ; delay = Math.min(2000, delay * 2)) {
    const c = await client.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    if (c.LastUpdateStatus !== 'InProgress') return;
    await new Promise((r) => setTimeout(r, delay));
  }
}
