// Reads a Gemini GenerateContentRequest into PromptInfo.
import { asArray, asNumber, asRecord, asString, textOf, type JsonRecord } from '../json.js';
import { hasPartKey, scanMessages } from '../prompt-parts.js';
import { AUTO, JSON_OFF, type JsonMode, type PromptInfo, type ToolChoice, type ToolDef } from '../reply.js';

export function geminiPrompt(body: JsonRecord): PromptInfo {
  const scan = scanMessages(body.contents, 'parts');
  const config = asRecord(body.generationConfig);
  return {
    lastUserText: scan.lastUserText,
    promptChars: textOf(asRecord(body.systemInstruction)?.parts).length + scan.chars,
    tools: geminiTools(body.tools),
    toolChoice: geminiToolChoice(asRecord(asRecord(body.toolConfig)?.functionCallingConfig)),
    afterToolResult: hasPartKey(scan.last?.parts, 'functionResponse'),
    maxTokens: asNumber(config?.maxOutputTokens),
    json: geminiJsonMode(config),
  };
}

function geminiTools(tools: unknown): ToolDef[] {
  const out: ToolDef[] = [];
  for (const tool of asArray(tools)) {
    for (const item of asArray(asRecord(tool)?.functionDeclarations)) {
      const decl = asRecord(item);
      const name = asString(decl?.name);
      if (name !== undefined) out.push({ name, schema: decl?.parameters ?? decl?.parametersJsonSchema });
    }
  }
  return out;
}

function geminiToolChoice(config: JsonRecord | undefined): ToolChoice {
  const mode = config?.mode;
  if (mode === 'NONE') return { mode: 'none' };
  if (mode !== 'ANY') return AUTO;
  const named = asString(asArray(config?.allowedFunctionNames)[0]);
  return named === undefined ? { mode: 'required' } : { mode: 'named', name: named };
}

function geminiJsonMode(config: JsonRecord | undefined): JsonMode {
  if (config?.responseMimeType !== 'application/json') return JSON_OFF;
  const schema = config.responseSchema ?? config.responseJsonSchema;
  return schema === undefined ? { mode: 'object' } : { mode: 'schema', schema };
}
