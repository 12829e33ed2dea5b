/**
 * The documentation site's own TypeDoc plugin: guides take the title of their first heading,
 * every page gets header links to the guides, the API and the repository, and each package's
 * API page links to its guide.
 */
import { readFileSync } from 'node:fs';
import { type Application, PageEvent, ReflectionKind, RendererEvent } from 'typedoc';

const repository = 'https://github.com/rampart-js/rampart';

/** The first `# Heading` of a markdown file, or undefined. */
function firstHeading(path: string): string | undefined {
  const match = /^# (.+)$/m.exec(readFileSync(path, 'utf8'));
  return match?.[1]?.trim();
}

function relativeRoot(url: string): string {
  return '../'.repeat(url.split('/').length - 1);
}

/** Guide page of a package module (`@rampart/cache` → `documents/cache.html`), when one exists. */
function guideOf(moduleName: string, documents: ReadonlySet<string>): string | undefined {
  const name = /^@rampart\/([a-z-]+)/.exec(moduleName)?.[1];
  return name !== undefined && documents.has(name) ? `documents/${name}.html` : undefined;
}

export function load(app: Application): void {
  const documentSlugs = new Set<string>();
  // Pages keep their file-name URLs (documents/cache.html); their titles come from the
  // guides' headings once the URLs are set.
  app.renderer.on(RendererEvent.BEGIN, (event) => {
    const files = app.options.getValue('projectDocuments');
    for (const document of event.project.getReflectionsByKind(ReflectionKind.Document)) {
      documentSlugs.add(document.name);
      const path = files.find((file) => file.endsWith(`/${document.name}.md`));
      const heading = path === undefined ? undefined : firstHeading(path);
      if (heading !== undefined) document.name = heading;
    }
  });
  app.renderer.on(PageEvent.END, (page) => {
    if (page.contents === undefined) return;
    const root = relativeRoot(page.url);
    const links = [
      `<a href="${root}documents/getting-started.html">Guides</a>`,
      `<a href="${root}modules.html">API</a>`,
      `<a href="${root}documents/examples.html">Examples</a>`,
      `<a href="${repository}">Repository</a>`,
    ].join('');
    let contents = page.contents.replace(
      '<div id="tsd-toolbar-links"></div>',
      `<div id="tsd-toolbar-links">${links}</div>`,
    );
    const model = page.model as { kind?: number; name?: string };
    if (model.kind === ReflectionKind.Module && model.name !== undefined) {
      const guide = guideOf(model.name, documentSlugs);
      if (guide !== undefined) {
        contents = contents.replace(
          /(<div class="tsd-page-title">[\s\S]*?<\/div>)/,
          `$1<p class="rampart-guide-link">Guide: <a href="${root}${guide}">how to use <code>${model.name}</code></a></p>`,
        );
      }
    }
    // A link without a label (in a table, where a label's `|` would split the cell) shows
    // the name it points at, not its `@rampart/<package>!` reference.
    contents = contents.replace(/>\s*@rampart\/[a-z-]+(?:\/[a-z-]+)?!([\w.]+)</g, '>$1<');
    page.contents = contents;
  });
}
