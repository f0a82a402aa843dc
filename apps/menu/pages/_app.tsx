import type { AppProps } from 'next/app'
import { SiteProviders } from '../lib/trpc'
import '@durable-delivery/ui/base.css'
import '../styles/globals.css'

export default function MenuApp({ Component, pageProps }: AppProps) {
  return (
    <SiteProviders>
      <Component {...pageProps} />
    </SiteProviders>
  )
}
