// Reads a Bedrock Converse request into PromptInfo.
import { asArray, asNumber, asRecord, asString, textOf, type JsonRecord } from '../json.js';
import { hasPartKey, scanMessages } from '../prompt-parts.js';
import { AUTO, JSON_OFF, type PromptInfo, type ToolChoice, type ToolDef } from '../reply.js';

export function conversePrompt(body: JsonRecord): PromptInfo {
  const scan = scanMessages(body.messages, 'content');
  const toolConfig = asRecord(body.toolConfig);
  return {
    lastUserText: scan.lastUserText,
    promptChars: textOf(body.system).length + scan.chars,
    tools: converseTools(toolConfig?.tools),
    toolChoice: converseToolChoice(asRecord(toolConfig?.toolChoice)),
    afterToolResult: hasPartKey(scan.last?.content, 'toolResult'),
    maxTokens: asNumber(asRecord(body.inferenceConfig)?.maxTokens),
    json: JSON_OFF,
  };
}

function converseTools(tools: unknown): ToolDef[] {
  const out: ToolDef[] = [];
  for (const item of asArray(tools)) {
    const spec = asRecord(asRecord(item)?.toolSpec);
    const name = asString(spec?.name);
    if (name !== undefined) out.push({ name, schema: asRecord(spec?.inputSchema)?.json });
  }
  return out;
}

/** `{auto:{}}` | `{any:{}}` | `{tool:{name}}`. */
function converseToolChoice(choice: JsonRecord | undefined): ToolChoice {
  if (choice === undefined) return AUTO;
  if (choice.any !== undefined) return { mode: 'required' };
  const name = asString(asRecord(choice.tool)?.name);
  return name === undefined ? AUTO : { mode: 'named', name };
}
