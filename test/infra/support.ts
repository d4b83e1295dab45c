import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parseSettings } from '../../infra/config.js';
import { HardlineStack } from '../../infra/hardline-stack.js';

/** A service stack built without bundling: templates only, in a few seconds. */
export function buildService(context: Record<string, unknown> = {}): { app: App; stack: HardlineStack; template: Template } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new HardlineStack(app, 'Hardline', {
    settings: parseSettings(context),
    env: { account: '111122223333', region: 'eu-west-1' },
  });
  return { app, stack, template: Template.fromStack(stack) };
}

export type Json = Record<string, unknown>;

/** A CloudFormation value with its intrinsic functions flattened to readable text (tokens as `${Logical.Attr}`). */
export function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(flatten).join(',');
  if (value && typeof value === 'object') {
    const o = value as Json;
    if ('Fn::Join' in o) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map(flatten).join(sep);
    }
    if ('Ref' in o) return `\${${String(o['Ref'])}}`;
    if ('Fn::GetAtt' in o) return `\${${(o['Fn::GetAtt'] as string[]).join('.')}}`;
    return JSON.stringify(o);
  }
  return String(value);
}

/** The state machine's ASL as an object (DefinitionString is an Fn::Join with ARNs spliced in). */
export function stateMachineDefinition(template: Template): Json {
  const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  if (machines.length !== 1) throw new Error(`expected one state machine, found ${machines.length}`);
  const def = (machines[0]!['Properties'] as Json)['DefinitionString'];
  return JSON.parse(flatten(def)) as Json;
}

/** Every IAM statement of the stack: inline policies of roles and AWS::IAM::Policy resources. */
export function iamStatements(template: Template): { source: string; statement: Json }[] {
  const out: { source: string; statement: Json }[] = [];
  const push = (source: string, doc: unknown) => {
    for (const st of ((doc as Json | undefined)?.['Statement'] as Json[] | undefined) ?? []) out.push({ source, statement: st });
  };
  for (const [id, r] of Object.entries(template.findResources('AWS::IAM::Policy'))) push(id, (r['Properties'] as Json)['PolicyDocument']);
  for (const [id, r] of Object.entries(template.findResources('AWS::IAM::Role'))) {
    for (const p of ((r['Properties'] as Json)['Policies'] as Json[] | undefined) ?? []) push(id, p['PolicyDocument']);
  }
  return out;
}

export const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
