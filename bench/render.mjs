// Renders bench/work/results/*.json (one file per measurement, see BENCH contract) and
// bench/work/machine.json into bench/results/benchmarks.md. Usage: node render.mjs [--preliminary "why"]
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const bench = dirname(fileURLToPath(import.meta.url));
const work = join(bench, "work");
const machine = JSON.parse(readFileSync(join(work, "machine.json"), "utf8"));
const preliminary = process.argv[2] === "--preliminary" ? process.argv[3] ?? "" : null;
const order = ["Board read", "Fan-out latency", "Subscription capacity", "Write path", "Cold start"];
const sections = readdirSync(join(work, "results"))
  .filter((name) => name.endsWith(".json"))
  .map((name) => ({ file: name, ...JSON.parse(readFileSync(join(work, "results", name), "utf8")) }))
  .sort((a, b) => rank(a.section) - rank(b.section) || a.section.localeCompare(b.section));
function rank(section) {
  const i = order.indexOf(section);
  return i < 0 ? order.length : i;
}

const number = (value) => {
  if (value === null || value === undefined) return "—";
  if (typeof value !== "number") return String(value);
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString("en-US", { maximumFractionDigits: digits });
};
// a ratio as its section rounded it (a section keeps a third decimal where two would round
// onto the target), below 10 never fewer than two decimals
const ratio = (value) => (typeof value === "number" && Math.abs(value) < 10 ? String(value) : number(value));
const withUnit = (value, unit) => (value === null || value === undefined ? "—" : `${number(value)}${unit ? ` ${unit}` : ""}`);
const cell = (text) => String(text).replaceAll("|", "\\|").replaceAll("\n", " ");
const met = (row) => (row.met === true ? "yes" : row.met === false ? "**no**" : "—");

const lines = [];
lines.push("# Benchmarks");
lines.push("");
if (preliminary !== null) {
  lines.push(`> **Preliminary.** ${preliminary}`.trimEnd());
  lines.push("");
}
lines.push(`Made by \`bench/run.sh\` (see the README, "Benchmarks") on ${machine.date}. These machines are shared and noisy:`);
lines.push("each figure is a median of repeated runs, and each ratio compares it with a reference measured in the same run.");
lines.push("");
lines.push("| machine | |");
lines.push("| --- | --- |");
for (const [key, value] of Object.entries(machine.facts)) lines.push(`| ${cell(key)} | ${cell(value)} |`);
lines.push("");

const all = sections.flatMap((s) => s.rows ?? []).filter((row) => row.target);
const held = all.filter((row) => row.met === true).length;
lines.push(`Targets held: ${held} of ${all.length}.`);
lines.push("");

for (const section of sections) {
  lines.push(`## ${section.section}`);
  lines.push("");
  if (section.measuredAt && section.measuredAt < machine.date) {
    lines.push(`_Measured ${section.measuredAt} by an earlier run of bench/run.sh, not in this one (the machine's facts above are this run's)._`);
    lines.push("");
  }
  if (section.setup) {
    lines.push(`How it was run: ${section.setup}`);
    lines.push("");
  }
  const rows = section.rows ?? [];
  if (rows.length > 0) {
    lines.push("| figure | value | reference | reference value | ratio | target | met? |");
    lines.push("| --- | ---: | --- | ---: | ---: | --- | :---: |");
    for (const row of rows) {
      const ref = row.reference ?? {};
      lines.push(`| ${cell(row.metric)} | ${withUnit(row.value, row.unit)} | ${cell(ref.name ?? "—")} | ${withUnit(ref.value, ref.unit)} | ${row.ratio === null || row.ratio === undefined ? "—" : `${ratio(row.ratio)}×`} | ${cell(row.target ?? "—")} | ${met(row)} |`);
    }
    lines.push("");
  }
  const unmet = rows.filter((row) => row.met === false);
  if (unmet.length > 0) {
    lines.push("What limits the targets not met:");
    lines.push("");
    for (const row of unmet) lines.push(`- ${row.metric} (${row.target}): ${row.limit ?? "not analysed yet"}.`);
    lines.push("");
  }
  for (const note of section.notes ?? []) lines.push(`- ${note}`);
  if ((section.notes ?? []).length > 0) lines.push("");
}

const out = join(bench, "results", "benchmarks.md");
writeFileSync(out, lines.join("\n"));
console.log(out);
