// The project configuration (promptgate.config.json|yaml|yml|mjs|js, or a `promptgate` key in
// package.json): where a project keeps its prompts, scenarios, suites, runs and store, and which
// grader modules every suite of the project loads. Every field is optional; the defaults are the
// layout this repository has always had, so a project that follows it needs no config at all.
// Types are derived from the schema; ajv checks every config.

import { Type, type Static } from '@sinclair/typebox';

const Folder = Type.String({ minLength: 1 });

export const PathsSchema = Type.Object(
  {
    /** The prompt registry: <prompts>/<id>/<version>.md and registry.lock.json. */
    prompts: Type.Optional(Folder),
    /** Requirement scenarios, one YAML file each (a prompt's own in <scenarios>/<prompt-id>/). */
    scenarios: Type.Optional(Folder),
    /** Hand-written reference answers graded alongside a run. */
    references: Type.Optional(Folder),
    /** Labelled documents for `promptgate calibrate`. */
    calibration: Type.Optional(Folder),
    /** Eval suites. */
    evals: Type.Optional(Folder),
    /** The suite `eval` runs when --suite is not given. */
    suite: Type.Optional(Folder),
    /** Where runs are written (a folder per run). */
    runs: Type.Optional(Folder),
    /** The gate's baseline file. */
    baseline: Type.Optional(Folder),
    /** The response store (answers paid for once, kept for re-grading). */
    store: Type.Optional(Folder),
    /** Rubrics for the optional model judge, one YAML file each (src/judge/). */
    judges: Type.Optional(Folder),
  },
  { additionalProperties: false },
);

export const ProjectConfigSchema = Type.Object(
  {
    /** Folders, relative to the project root (the folder holding the config). */
    paths: Type.Optional(PathsSchema),
    /**
     * Grader modules every suite of the project loads, besides those a suite lists: a path
     * relative to the project root (`./graders/my-check.ts`) or a package name.
     */
    graders: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { uniqueItems: true })),
  },
  { additionalProperties: false },
);

export type ProjectConfig = Static<typeof ProjectConfigSchema>;
export type PathKey = keyof Static<typeof PathsSchema>;
export type Paths = Required<Static<typeof PathsSchema>>;

/** Today's layout: what every path is when the config does not say. */
export const DEFAULT_PATHS: Paths = {
  prompts: 'prompts',
  scenarios: 'datasets/scenarios',
  references: 'datasets/references',
  calibration: 'datasets/calibration',
  evals: 'evals',
  suite: 'evals/default.yaml',
  runs: 'reports/runs',
  baseline: 'reports/baseline.json',
  store: '.promptgate/store',
  judges: 'judges',
};

/** The file names a project root is recognised by, in the order they are looked for. */
export const CONFIG_FILES = ['promptgate.config.json', 'promptgate.config.yaml', 'promptgate.config.yml', 'promptgate.config.mjs', 'promptgate.config.js'] as const;
