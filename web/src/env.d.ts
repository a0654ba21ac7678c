// build.mjs imports .css files as (minified) text.
declare module '*.css' {
  const text: string;
  export default text;
}
