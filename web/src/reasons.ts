// The matcher's reasons (src/matching/score.cc writes them in Chinese, as officers read them) in
// the user's language: English by the shapes the matcher writes; anything else as it came.
import { i18n } from './i18n'

const shapes: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^技能匹配：(.+)$/, (m) => `Skills match: ${m[1]}`],
  [/^期望工种：(.+)$/, (m) => `Wished occupation: ${m[1]}`],
  [/^本村就业$/, () => 'In the home village'],
  [/^距离约 (\d+) 公里$/, (m) => `About ${m[1]} km away`],
  [/^月薪 ([\d–]+) 元，不低于期望$/, (m) => `${m[1]} yuan a month, as expected or more`],
  [/^月薪 ([\d–]+) 元，低于期望$/, (m) => `${m[1]} yuan a month, below the expectation`],
  [/^月薪 ([\d–]+) 元$/, (m) => `${m[1]} yuan a month`],
  [/^包食宿$/, () => 'Board and lodging'],
  [/^包吃$/, () => 'Board'],
  [/^包住$/, () => 'Lodging'],
  [/^优先：零就业家庭$/, () => 'Priority: zero-employment household'],
  [/^优先：防止返贫监测对象$/, () => 'Priority: monitored household'],
  [/^优先：易地搬迁户$/, () => 'Priority: relocated household'],
]

export function reasonText(reason: string): string {
  if (i18n.global.locale.value !== 'en') return reason
  for (const [shape, english] of shapes) {
    const m = shape.exec(reason)
    if (m) return english(m)
  }
  return reason
}

// An application's reasons, kept as one text joined by "；".
export function reasonsText(joined: string): string {
  if (!joined) return ''
  return joined.split('；').map(reasonText).join(i18n.global.locale.value === 'en' ? '; ' : '；')
}
