import { Head, Html, Main, NextScript } from 'next/document'

/**
 * The HTML shell a site serves (`pages/_document.tsx`: `export default siteDocument('…')`): the
 * page's language, so screen readers pronounce it and axe's `html-has-lang` rule passes, and the
 * site's title and icon. They are the same for every page of a site, so they are rendered here on
 * the server rather than by `next/head` from `_app`, whose client code every first load would
 * carry; Next's own head adds the viewport (`width=device-width`).
 */
export function siteDocument(title: string) {
  return function SiteDocument() {
    return (
      <Html lang="en">
        <Head>
          <SiteHead title={title} />
        </Head>
        <body>
          <Main />
          <NextScript />
        </body>
      </Html>
    )
  }
}

/**
 * A component rather than bare tags: Next's development check warns of a `<title>` directly in
 * `_document`'s Head, for sites whose pages set their own; ours have one title each.
 */
function SiteHead({ title }: { title: string }) {
  return (
    <>
      <title>{title}</title>
      <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
    </>
  )
}
