import type { AppProps } from 'next/app'
import Head from 'next/head'
import { SiteProviders } from '../lib/trpc'
import '@durable-delivery/ui/base.css'
import '../styles/globals.css'

export default function MenuApp({ Component, pageProps }: AppProps) {
  return (
    <SiteProviders>
      <Head>
        <title>Durable Delivery</title>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
      </Head>
      <Component {...pageProps} />
    </SiteProviders>
  )
}
