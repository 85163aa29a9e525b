// Where a start's time goes, from the actuator's startup endpoint of a server started with
// -Dboardcast.startup-steps=N (Spring's BufferingApplicationStartup):
//
//   node bench/tools/startup-steps.mjs steps.json <process start, epoch ms> <first answer, epoch ms>
//
// Prints one JSON object: the phases in ms (the JVM and launcher before Spring starts, the
// environment, configuration classes with the auto-configuration conditions, bean creation by
// group, the rest of the refresh, the wait from "ready" to the first answer), the beans that
// took longest themselves (their dependencies' creation not counted), and a sentence for
// bench/startup.sh's table.
import { readFileSync } from 'node:fs';

const [file, processStart, firstAnswer] = process.argv.slice(2);
const events = JSON.parse(readFileSync(file, 'utf8')).timeline.events.map((e) => ({
  id: e.startupStep.id,
  parent: e.startupStep.parentId,
  name: e.startupStep.name,
  tags: Object.fromEntries(e.startupStep.tags.map((t) => [t.key, t.value])),
  start: Date.parse(e.startTime) + micros(e.startTime),
  end: Date.parse(e.endTime) + micros(e.endTime),
}));

// Date.parse keeps milliseconds; add the rest of the fraction
function micros(iso) {
  const fraction = /\.(\d+)Z$/.exec(iso)?.[1] ?? '';
  return Number(`0.${fraction.slice(3) || '0'}`);
}

const step = (name) => events.find((e) => e.name === name);
const ms = (x) => Math.round(x);
const children = new Map();
for (const e of events) {
  if (e.parent !== undefined) children.set(e.parent, [...(children.get(e.parent) ?? []), e]);
}
const beanSelf = (e) =>
  e.end - e.start - (children.get(e.id) ?? [])
    .filter((c) => c.name === 'spring.beans.instantiate')
    .reduce((sum, c) => sum + c.end - c.start, 0);

const GROUPS = [
  ['GraphQL schema and wiring', /graphql/i],
  ['Flyway', /flyway/i],
  ['Redis (Lettuce)', /redis|lettuce/i],
  ['R2DBC pool', /connectionFactory|r2dbc/i],
  ['security', /security|jwt|issuer/i],
  ['actuator and metrics', /endpoint|health|meter|prometheus|observation|metrics/i],
  ['web server', /webserver|netty|webHandler|codec|handlerMapping|handlerAdapter/i],
  ['Boardcast\'s own beans', /\bdev\.boardcast\./],
];
// the first group whose pattern matches the bean's name or type
const groupOf = (e) => {
  const text = `${e.tags.beanName ?? ''} ${e.tags.beanType ?? ''}`;
  return GROUPS.find(([, pattern]) => pattern.test(text))?.[0] ?? 'other Spring beans';
};
const beans = events.filter((e) => e.name === 'spring.beans.instantiate');
const byGroup = {};
for (const e of beans) byGroup[groupOf(e)] = (byGroup[groupOf(e)] ?? 0) + beanSelf(e);
const beanTotal = Object.values(byGroup).reduce((a, b) => a + b, 0);

const starting = step('spring.boot.application.starting');
const refresh = step('spring.context.refresh');
const parse = step('spring.context.config-classes.parse');
const ready = step('spring.boot.application.ready');
const t0 = Number(processStart);
const phases = {
  total: ms(Number(firstAnswer) - t0),
  jvmAndLauncher: ms(starting.start - t0),
  environmentAndContext: ms(refresh.start - starting.start),
  configurationClasses: ms(parse.end - parse.start),
  beanCreation: ms(beanTotal),
  restOfRefresh: ms(refresh.end - refresh.start - (parse.end - parse.start) - beanTotal),
  readyAfterRefresh: ms(ready.end - refresh.end),
  readyToFirstAnswer: ms(Number(firstAnswer) - ready.end),
};
const groups = Object.entries(byGroup).sort((a, b) => b[1] - a[1]).map(([g, v]) => [g, ms(v)]);
const slowest = beans
  .map((e) => [e.tags.beanName, ms(beanSelf(e))])
  .sort((a, b) => b[1] - a[1])
  .slice(0, 5);
const s = (x) => (x / 1000).toFixed(2);
const sentence = `of ${s(phases.total)} s to the first answer: the JVM and Spring Boot's launcher ${s(phases.jvmAndLauncher)} s, `
  + `the environment and the context's set-up ${s(phases.environmentAndContext)} s, `
  + `configuration classes and auto-configuration conditions ${s(phases.configurationClasses)} s, `
  + `creating ${beans.length} beans ${s(phases.beanCreation)} s (${groups.slice(0, 5).map(([g, v]) => `${g} ${s(v)}`).join(', ')}), `
  + `the rest of the refresh (post-processors, starting the web server) ${s(phases.restOfRefresh)} s, `
  + `then ${s(phases.readyAfterRefresh + phases.readyToFirstAnswer)} s to ready and the first answer`;
console.log(JSON.stringify({ phases, groups, slowest, sentence }));
