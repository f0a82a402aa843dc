import { Head, Html, Main, NextScript } from 'next/document'

/**
 * The HTML shell both sites serve (`pages/_document.tsx` re-exports it): the page's language,
 * so screen readers pronounce it and axe's `html-has-lang` rule passes.
 */
export default function SiteDocument() {
  return (
    <Html lang="en">
      <Head />
      <body>
        <Main />
        <NextScript />
      </body>
    </Html>
  )
}
