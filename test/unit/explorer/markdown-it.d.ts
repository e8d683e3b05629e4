// The part of markdown-it (a dev-time package, no bundled types) the tooltip tests use.
declare module 'markdown-it' {
  interface Options { readonly html?: boolean; readonly linkify?: boolean }
  export default class MarkdownIt {
    constructor(options?: Options);
    render(src: string): string;
  }
}
