/** A line chart as a hand-written SVG string: no chart library, so the bench stays a plain Node script. */
export interface Series {
  name: string
  color: string
  points: Array<[x: number, y: number]>
}

export interface ChartSpec {
  title: string
  xLabel: string
  yLabel: string
  series: Series[]
  /** Open orders and offered rates grow by a factor per step: a log scale keeps the steps apart. */
  logX?: boolean
}

const WIDTH = 640
const HEIGHT = 360
const MARGIN = { left: 64, right: 160, top: 40, bottom: 48 }

export function lineChart(spec: ChartSpec): string {
  const xs = spec.series.flatMap((s) => s.points.map(([x]) => x))
  const ys = spec.series.flatMap((s) => s.points.map(([, y]) => y))
  const fx = spec.logX ? Math.log10 : (x: number) => x
  const [xMin, xMax] = [fx(Math.min(...xs)), fx(Math.max(...xs))]
  const yMax = niceCeiling(Math.max(...ys, 1))
  const plotW = WIDTH - MARGIN.left - MARGIN.right
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom
  const px = (x: number) => MARGIN.left + (xMax === xMin ? plotW / 2 : ((fx(x) - xMin) / (xMax - xMin)) * plotW)
  const py = (y: number) => MARGIN.top + plotH - (y / yMax) * plotH
  const text = (x: number, y: number, content: string, extra = '') =>
    `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${extra}>${escapeXml(content)}</text>`
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    text(WIDTH / 2 - MARGIN.right / 2, 22, spec.title, 'text-anchor="middle" font-size="14" font-weight="bold"'),
  ]
  for (let tick = 0; tick <= 4; tick++) {
    const y = (yMax * tick) / 4
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${py(y)}" y2="${py(y)}" stroke="#ddd"/>`)
    parts.push(text(MARGIN.left - 6, py(y) + 4, formatNumber(y), 'text-anchor="end"'))
  }
  for (const x of [...new Set(xs)].sort((a, b) => a - b)) {
    parts.push(text(px(x), HEIGHT - MARGIN.bottom + 16, formatNumber(x), 'text-anchor="middle"'))
  }
  parts.push(text(WIDTH / 2 - MARGIN.right / 2, HEIGHT - 10, spec.xLabel, 'text-anchor="middle"'))
  parts.push(
    text(
      16,
      MARGIN.top + plotH / 2,
      spec.yLabel,
      `text-anchor="middle" transform="rotate(-90 16 ${MARGIN.top + plotH / 2})"`,
    ),
  )
  spec.series.forEach((series, index) => {
    const points = [...series.points].sort((a, b) => a[0] - b[0])
    const path = points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')
    parts.push(`<polyline points="${path}" fill="none" stroke="${series.color}" stroke-width="2"/>`)
    for (const [x, y] of points)
      parts.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${series.color}"/>`)
    const legendY = MARGIN.top + 10 + index * 18
    parts.push(
      `<rect x="${WIDTH - MARGIN.right + 12}" y="${legendY - 9}" width="12" height="12" fill="${series.color}"/>`,
    )
    parts.push(text(WIDTH - MARGIN.right + 30, legendY + 1, series.name))
  })
  parts.push('</svg>')
  return `${parts.join('\n')}\n`
}

/** 1, 2 or 5 times a power of ten, at or above the value: round gridlines. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value))
  return ([1, 2, 5, 10].find((step) => step * power >= value) ?? 10) * power
}

function formatNumber(value: number): string {
  return value >= 1000 ? `${value / 1000}k` : String(Math.round(value * 100) / 100)
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
