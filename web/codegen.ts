import type { CodegenConfig } from '@graphql-codegen/cli';

// Types and typed documents come from the server's SDL in ../schema (the single source of the
// contract) and from the documents written next to the components. Output is generated on every
// build and test run, and never edited or committed.
const config: CodegenConfig = {
  schema: '../schema/*.graphqls',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: false,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
      },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: {
          DateTime: 'string',
          Date: 'string',
        },
        strictScalars: true,
        avoidOptionals: false,
        nonOptionalTypename: true,
        skipTypeNameForRoot: true,
      },
    },
  },
  hooks: {},
};

export default config;
