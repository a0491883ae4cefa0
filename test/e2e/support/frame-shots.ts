// Screenshots of the app's frame alone, cropped to the frame (never the host page's menu or a neighbour), and the
// layout checks made before each: the frame's document must not scroll sideways and no text may be cut by an element
// that hides its overflow.
import type { FrameLocator, Locator, Page } from 'playwright-core'
import type { AppUnderTest } from './app-under-test.ts'

/** Opens `path` in a 1280 × 900 window and returns its app frame (`selector` names the iframe in the host page). */
export async function openFrame(t: AppUnderTest, path: string, selector: string): Promise<{ page: Page, frame: FrameLocator }> {
  const page = await t.open(path, { width: 1280, height: 900 })
  return { page, frame: page.frameLocator(selector) }
}

/**
 * Narrows the window until the iframe `selector` is `width` px wide, as the host lays it out (its menu, paddings and
 * slider edges keep their sizes); the frame is never widened beyond its container, so the host never scrolls sideways.
 */
export async function narrowTo(page: Page, selector: string, width: number): Promise<void> {
  const iframe = page.locator(selector).first()
  for (let attempt = 0; attempt < 4; attempt++) {
    const now = await iframe.evaluate(el => el.getBoundingClientRect().width)
    if (Math.abs(now - width) < 0.5)
      return
    const viewport = page.viewportSize()!
    await page.setViewportSize({ width: Math.round(viewport.width - (now - width)), height: viewport.height })
    await page.waitForTimeout(100)
  }
  throw new Error(`the frame ${selector} did not become ${width} px wide`)
}

export interface FrameFit {
  /** How many px the frame's document is wider than the frame (0 or less: no sideways scroll). */
  readonly overflow: number
  /** Texts cut by an element that hides its overflow, unless its `title` holds the whole text (with the element's tag and class). */
  readonly cut: string[]
}

/** Measures the frame as it is (with its own vertical scrollbar when the content is taller than the frame). */
export async function frameFits(page: Page, selector: string): Promise<FrameFit> {
  return page.frameLocator(selector).locator('html').evaluate((html) => {
    const cut: string[] = []
    for (const el of html.querySelectorAll<HTMLElement>('body *')) {
      if (el.closest('svg, canvas, input, textarea, select, [aria-hidden="true"]'))
        continue
      const style = getComputedStyle(el)
      const hides = ['hidden', 'clip'].includes(style.overflowX) || style.textOverflow === 'ellipsis'
      if (!hides || el.clientWidth <= 1 || el.getClientRects().length === 0)
        continue
      const ownText = [...el.childNodes].some(node => node.nodeType === Node.TEXT_NODE && node.textContent!.trim() !== '')
      const textInside = ownText || [...el.children].some(child => getComputedStyle(child).display.startsWith('inline') && child.textContent!.trim() !== '')
      // A line cut on purpose carries its whole text in `title` (and its card opens it): not a defect.
      const whole = el.getAttribute('title')?.trim() === el.textContent!.trim()
      if (textInside && !whole && el.scrollWidth > el.clientWidth + 1)
        cut.push(`${el.tagName.toLowerCase()}.${[...el.classList].slice(0, 3).join('.')}: ${el.textContent!.trim().slice(0, 80)}`)
    }
    return { overflow: html.scrollWidth - html.clientWidth, cut }
  })
}

/** Lets the iframe grow to its content's height (as `resizeWindowAuto` would), runs `shoot`, and gives the frame its height back. */
async function grown<T>(page: Page, selector: string, shoot: () => Promise<T>): Promise<T> {
  const iframe = page.locator(selector).first()
  const content = await page.frameLocator(selector).locator('html').evaluate(html => html.scrollHeight)
  const before = await iframe.evaluate((el, height) => {
    const old = (el as HTMLElement).style.height
    ;(el as HTMLElement).style.height = `${height}px`
    return old
  }, content)
  await page.waitForTimeout(150)
  try {
    return await shoot()
  }
  finally {
    await iframe.evaluate((el, height) => {
      (el as HTMLElement).style.height = height
    }, before)
  }
}

/** The iframe's box in page coordinates (the host page scrolled back to its top first, so its sticky bar stays up there). */
async function frameBoxOf(page: Page, selector: string): Promise<{ x: number, y: number, width: number, height: number }> {
  await page.evaluate(() => window.scrollTo(0, 0))
  return page.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect()
    return { x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height }
  })
}

/**
 * The whole frame, top to bottom, cropped to it. A full-page shot clipped to the frame's box: an element shot of a frame
 * taller than the window scrolls the host page, and the host's sticky top bar would then cover the frame's top.
 */
export async function shootFrame(page: Page, selector: string, path: string): Promise<void> {
  await grown(page, selector, async () => {
    await page.screenshot({ path, fullPage: true, clip: await frameBoxOf(page, selector) })
  })
}

/**
 * One element of the frame, clipped to the frame's box in the host page: its rectangle inside the frame plus the
 * frame's own place on the page, both in page (not viewport) coordinates, so neither scroll shifts the crop.
 */
export async function shootElement(page: Page, selector: string, element: Locator, path: string): Promise<void> {
  await grown(page, selector, async () => {
    const frameBox = await frameBoxOf(page, selector)
    await element.first().evaluate(el => el.ownerDocument.defaultView!.scrollTo(0, 0))
    const box = await element.first().evaluate((el) => {
      const r = el.getBoundingClientRect()
      return { x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height }
    })
    const x = Math.max(frameBox.x + box.x, frameBox.x)
    const y = Math.max(frameBox.y + box.y, frameBox.y)
    const right = Math.min(frameBox.x + box.x + box.width, frameBox.x + frameBox.width)
    const bottom = Math.min(frameBox.y + box.y + box.height, frameBox.y + frameBox.height)
    await page.screenshot({ path, fullPage: true, clip: { x, y, width: right - x, height: bottom - y } })
  })
}

/** The frame as a person first sees it: at its own height, without scrolling (for a short picture of a long screen). */
export async function shootFrameAsSeen(page: Page, selector: string, path: string): Promise<void> {
  await page.screenshot({ path, fullPage: true, clip: await frameBoxOf(page, selector) })
}
