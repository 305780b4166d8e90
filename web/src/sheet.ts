// A preview of the first rows of an import file, read in the browser: CSV (UTF-8 or GB18030)
// or the first sheet of an XLSX. Only for showing; the server does the real reading.

function parseCsv(text: string, maxRows: number): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length && rows.length < maxRows; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++ } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') { row.push(cell); cell = '' }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      row.push(cell); rows.push(row); row = []; cell = ''
    } else cell += c
  }
  if ((cell || row.length) && rows.length < maxRows) { row.push(cell); rows.push(row) }
  return rows
}

// `bytes` may end inside a character (the preview reads only the start of a file): a
// streaming decode leaves such a tail out instead of calling the text invalid.
function decode(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true }).replace(/^\uFEFF/, '')
  } catch {
    return new TextDecoder('gb18030').decode(bytes, { stream: true })
  }
}

async function readXlsx(buf: ArrayBuffer, maxRows: number): Promise<string[][]> {
  const { default: JSZip } = await import('jszip')
  const zip = await JSZip.loadAsync(buf)
  const xml = (s: string) => new DOMParser().parseFromString(s, 'application/xml')
  const shared: string[] = []
  const sst = zip.file('xl/sharedStrings.xml')
  if (sst) {
    for (const si of Array.from(xml(await sst.async('string')).getElementsByTagName('si'))) {
      shared.push(Array.from(si.getElementsByTagName('t')).map((n) => n.textContent ?? '').join(''))
    }
  }
  const sheetName = Object.keys(zip.files).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n)).sort()[0]
  if (!sheetName) return []
  const doc = xml(await zip.file(sheetName)!.async('string'))
  const out: string[][] = []
  for (const r of Array.from(doc.getElementsByTagName('row')).slice(0, maxRows)) {
    const cells: string[] = []
    for (const c of Array.from(r.getElementsByTagName('c'))) {
      const ref = c.getAttribute('r') ?? ''
      const col = ref.replace(/\d+/g, '').split('').reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1
      const v = c.getElementsByTagName('v')[0]?.textContent ?? c.getElementsByTagName('t')[0]?.textContent ?? ''
      cells[col >= 0 ? col : cells.length] = c.getAttribute('t') === 's' ? shared[Number(v)] ?? '' : v
    }
    out.push(Array.from(cells, (x) => x ?? ''))
  }
  return out
}

export async function previewRows(file: File, maxRows = 11): Promise<string[][]> {
  const buf = await file.arrayBuffer()
  const head = new Uint8Array(buf.slice(0, 4))
  if (head[0] === 0x50 && head[1] === 0x4b) return readXlsx(buf, maxRows)
  return parseCsv(decode(new Uint8Array(buf.slice(0, 256 * 1024))), maxRows)
}
