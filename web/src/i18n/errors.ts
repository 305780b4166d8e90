// The API's messages are English sentences with the field first ("id_number: the check
// character ..."). In Chinese the workbench shows the same message translated: a table of the
// message shapes the server uses, each a pattern and its Chinese form. A message no pattern
// knows is shown as the server wrote it.

const zh: Array<[RegExp, string]> = [
  [/^is required; one or more of (.*)$/, '必填，可选：$1'],
  [/^is required; one of (.*)$/, '必填，可选：$1'],
  [/^is required$/, '必填'],
  [/^is not one of (.*)$/, '不在可选范围内，可选：$1'],
  [/^is (\d+) characters long; at most (\d+) are allowed$/, '有 $1 个字，最多 $2 个'],
  [/^has (\d+) items; at most (\d+) are allowed$/, '有 $1 项，最多 $2 项'],
  [/^must be between (-?\d+) and (-?\d+)$/, '应在 $1 到 $2 之间'],
  [/^is not a whole number$/, '应为整数'],
  [/^must be yes or no.*$/, '应为“是”或“否”'],
  [/^must not be before start_date$/, '不能早于开始日期'],
  [/^must not be below min_age$/, '不能小于最低年龄'],
  [/^must not be below wage_min$/, '不能低于月薪下限'],
  [/^contains a control character$/, '含有控制字符'],
  [/^is not valid UTF-8 text.*$/, '不是有效文本，请把文件另存为 UTF-8 或 GB18030 编码'],
  [/^an ID number has 18 characters, "(.*)" has (\d+)$/, '身份证号应为 18 位，“$1”是 $2 位'],
  [/^character (\d+) of the ID number is "(.)"; the first 17 must be digits$/,
    '身份证号第 $1 位是“$2”，前 17 位必须是数字'],
  [/^the last character of the ID number must be a digit or X, not "(.)"$/,
    '身份证号最后一位应为数字或 X，不能是“$1”'],
  [/^the ID number starts with (\d+), which is not a province code$/, '身份证号开头的 $1 不是省级行政区代码'],
  [/^the birth date in the ID number, (\S+), is not a real date$/, '身份证号中的出生日期 $1 不是有效日期'],
  [/^the birth date in the ID number, (\S+), lies in the future$/, '身份证号中的出生日期 $1 晚于今天'],
  [/^the check character of the ID number should be (.), not (.); a digit was probably mistyped$/,
    '身份证号校验位应为 $1，不是 $2，可能有数字输错了'],
  [/^"(.*)" is not a mobile number.*$/, '“$1”不是手机号码，请填写 11 位数字，如 13812345678'],
  [/^a household with this householder's ID number is already registered$/, '这个户主身份证号已经登记过'],
  [/^a person with this ID number is already registered$/, '这个身份证号已经登记过'],
  [/^an employer with this credit code is already registered$/, '这个统一社会信用代码已经登记过'],
  [/^does not match the ID number, which says (.*)$/, '与身份证号不符，身份证号显示为 $1'],
  [/^no region has code (.*)$/, '没有代码为 $1 的区域'],
  [/^say why the record is deleted.*$/, '请填写删除原因'],
  [/^(.*) lies outside your region$/, '$1 不在您的管辖区域内'],
  [/^the same value is on row (\d+) of this file$/, '与本文件第 $1 行重复'],
  [/^no household has this householder.*$/, '找不到这个户主的户；请先导入户，或把户主的行放在成员前面'],
  [/^a new household needs .*$/, '新户的户主行需要填写所在村和户类型'],
  [/^the file has no header row$/, '文件没有表头行'],
  [/^the file is empty$/, '文件是空的'],
]

// `message` without the "field: " the server puts first, when it names `field`.
export function stripField(message: string, field: string): string {
  const bare = field.replace(/^members\[\d+\]\./, '')
  for (const f of [field, bare]) {
    if (f && message.startsWith(`${f}: `)) return message.slice(f.length + 2)
  }
  return message
}

export function translateMessage(message: string, locale: string): string {
  if (!locale.startsWith('zh')) return message
  for (const [re, to] of zh) {
    if (re.test(message)) return message.replace(re, to)
  }
  return message
}
