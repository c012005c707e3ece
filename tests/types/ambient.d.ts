// The one runtime global the README's examples use that TypeScript's DOM library lacks.
declare namespace Deno {
  function serve(handler: (request: Request) => Response | Promise<Response>): unknown;
}
