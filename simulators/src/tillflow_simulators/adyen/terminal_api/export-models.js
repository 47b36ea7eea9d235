// Prints, as JSON, the Terminal API (nexo) message models that Adyen's official Node
// library ships (lib/src/typings/terminal): each class with its JSON fields (type from
// the class's attributeTypeMap, required unless declared optional in its .d.ts) and
// each enum with its values. The simulator validates every message against this.
"use strict";
const fs = require("fs");
const path = require("path");

const entry = require.resolve("@adyen/api-library/lib/src/typings/terminal/models");
const folder = path.dirname(entry);
const models = require(entry);
const version = require("@adyen/api-library/package.json").version;

const classes = {};
const enums = {};

function declarations(file) {
  const text = fs.readFileSync(path.join(folder, file), "utf8");
  const fields = {};
  const classBody = /export declare class (\w+) \{([\s\S]*?)\n\}/.exec(text);
  if (classBody) {
    for (const line of classBody[2].split("\n")) {
      const field = /^\s*'([^']+)'(\?)?: (.*);$/.exec(line);
      if (field) fields[field[1]] = { optional: field[2] === "?", declared: field[3] };
    }
  }
  const enumBodies = [];
  const enumPattern = /enum (\w+) \{([^}]*)\}/g;
  let found;
  while ((found = enumPattern.exec(text)) !== null) {
    const members = found[2].split(",").map((m) => m.trim()).filter(Boolean);
    enumBodies.push({ name: found[1], members, nested: /namespace/.test(text) });
  }
  return { className: classBody && classBody[1], fields, enumBodies };
}

for (const file of fs.readdirSync(folder).filter((f) => f.endsWith(".d.ts")).sort()) {
  const { className, fields, enumBodies } = declarations(file);
  if (className && models[className] && models[className].attributeTypeMap) {
    const shape = {};
    for (const attribute of models[className].attributeTypeMap) {
      const declared = fields[attribute.name] || { optional: true, declared: "" };
      shape[attribute.baseName] = {
        type: attribute.type,
        required: !declared.optional,
        orString: /\|\s*string\b/.test(declared.declared),
      };
    }
    classes[className] = shape;
  }
  for (const body of enumBodies) {
    const owner = className && models[className] && models[className][body.name];
    const runtime = owner || models[body.name];
    if (!runtime) continue;
    const name = owner ? `${className}.${body.name}` : body.name;
    enums[name] = body.members.map((member) => String(runtime[member]));
  }
}

process.stdout.write(JSON.stringify({ package: "@adyen/api-library", version, classes, enums }));
