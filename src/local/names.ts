/** Lambda's function-name rule; names become directory names under the data dir, so nothing else may pass. */
const NAME = /^[a-zA-Z0-9_-]{1,64}$/;
/** A function reference as Lambda accepts it: name, partial ARN or full ARN, optional qualifier. */
const REF =
  /^(?:arn:aws[a-zA-Z-]*:lambda:[a-z]{2}(?:-gov)?-[a-z]+-\d:\d{12}:function:|\d{12}:function:)?([a-zA-Z0-9_-]{1,64})(?::(\$LATEST|[a-zA-Z0-9_-]{1,128}))?$/;

/** True when `name` is a valid plain Lambda function name. */
export function isValidFunctionName(name: unknown): name is string {
  return typeof name === 'string' && NAME.test(name);
}

/** The plain function name inside a name or ARN reference, or undefined when it is not a valid reference. */
export function parseFunctionRef(ref: string): string | undefined {
  const m = REF.exec(ref);
  return m ? m[1] : undefined;
}
