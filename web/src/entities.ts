// What the register pages show of each entity: list columns, filters, sort keys and form
// fields. One description per entity drives the list, detail and form pages.

export type FieldType =
  | 'text' | 'textarea' | 'select' | 'multi' | 'tags' | 'village' | 'region' | 'int' | 'yuan'
  | 'bool' | 'date' | 'employer'

export interface FieldSpec {
  key: string
  type: FieldType
  vocab?: string // for select/multi: the vocabulary's name from /vocabularies
  required?: boolean
  // Shown in the form only on create (keys of the record's identity) or never (read-only).
  createOnly?: boolean
  readOnly?: boolean
}

export interface ColumnSpec {
  key: string
  sort?: string // the API's sort key, when the column sorts
  vocab?: string
  kind?: 'date' | 'yuan' | 'bool' | 'list' | 'datetime'
  width?: number
  hidden?: boolean // not shown until chosen
}

export interface FilterSpec {
  key: string
  vocab?: string
  options?: string[] // fixed options (with labels from the vocabulary, if any)
}

export interface EntitySpec {
  name: 'households' | 'persons' | 'employers' | 'jobs'
  one: 'household' | 'person' | 'employer' | 'job'
  titleKey: string // the field that names a record
  columns: ColumnSpec[]
  filters: FilterSpec[]
  fields: FieldSpec[]
  importKind: string
}

const meta: ColumnSpec[] = [
  { key: 'created_at', sort: 'created_at', kind: 'datetime', hidden: true },
  { key: 'updated_at', sort: 'updated_at', kind: 'datetime', hidden: true },
]

export const entities: Record<EntitySpec['name'], EntitySpec> = {
  households: {
    name: 'households', one: 'household', titleKey: 'head_name', importKind: 'households',
    columns: [
      { key: 'head_name', sort: 'head_name', width: 110 },
      { key: 'head_id_number', width: 190 },
      { key: 'region_name', sort: 'region_code' },
      { key: 'poverty_type', vocab: 'poverty_type', width: 150 },
      { key: 'status', vocab: 'household_status', width: 110 },
      { key: 'phone', width: 130, hidden: true },
      { key: 'address', hidden: true },
      ...meta,
    ],
    filters: [{ key: 'poverty_type', vocab: 'poverty_type' }, { key: 'status', vocab: 'household_status' }],
    fields: [
      { key: 'region_code', type: 'village', required: true },
      { key: 'head_name', type: 'text', required: true },
      { key: 'head_id_number', type: 'text', required: true, createOnly: true },
      { key: 'poverty_type', type: 'select', vocab: 'poverty_type', required: true },
      { key: 'monitor_type', type: 'select', vocab: 'monitor_type' },
      { key: 'status', type: 'select', vocab: 'household_status' },
      { key: 'phone', type: 'text' },
      { key: 'address', type: 'text' },
      { key: 'note', type: 'textarea' },
    ],
  },
  persons: {
    name: 'persons', one: 'person', titleKey: 'name', importKind: 'persons',
    columns: [
      { key: 'name', sort: 'name', width: 100 },
      { key: 'id_number', width: 190 },
      { key: 'gender', vocab: 'gender', width: 70 },
      { key: 'age', sort: 'birth_date', width: 80 },
      { key: 'region_name', sort: 'region_code' },
      { key: 'relation', vocab: 'relation', width: 110, hidden: true },
      { key: 'education', vocab: 'education', width: 110 },
      { key: 'work_ability', vocab: 'work_ability', width: 120 },
      { key: 'intention', vocab: 'intention', width: 130 },
      { key: 'skills', kind: 'list', hidden: true },
      { key: 'phone', width: 130, hidden: true },
      ...meta,
    ],
    filters: [
      { key: 'intention', vocab: 'intention' },
      { key: 'poverty_type', vocab: 'poverty_type' },
      { key: 'employment', options: ['employed', 'unemployed'] },
    ],
    fields: [
      { key: 'household_id', type: 'int', required: true, createOnly: true },
      { key: 'name', type: 'text', required: true },
      { key: 'id_number', type: 'text', required: true, createOnly: true },
      { key: 'relation', type: 'select', vocab: 'relation', required: true },
      { key: 'phone', type: 'text' },
      { key: 'education', type: 'select', vocab: 'education' },
      { key: 'health', type: 'select', vocab: 'health', required: true },
      { key: 'work_ability', type: 'select', vocab: 'work_ability', required: true },
      { key: 'skills', type: 'tags' },
      { key: 'certificates', type: 'tags' },
      { key: 'intention', type: 'select', vocab: 'intention', required: true },
      { key: 'wanted_occupations', type: 'tags' },
      { key: 'expected_wage', type: 'yuan' },
      { key: 'note', type: 'textarea' },
    ],
  },
  employers: {
    name: 'employers', one: 'employer', titleKey: 'name', importKind: 'employers',
    columns: [
      { key: 'name', sort: 'name' },
      { key: 'credit_code', width: 190 },
      { key: 'region_name', sort: 'region_code' },
      { key: 'kinds', vocab: 'employer_kind', kind: 'list' },
      { key: 'industry', width: 110 },
      { key: 'contact_name', width: 100, hidden: true },
      { key: 'contact_phone', width: 130, hidden: true },
      ...meta,
    ],
    filters: [{ key: 'kind', vocab: 'employer_kind' }],
    fields: [
      { key: 'name', type: 'text', required: true },
      { key: 'credit_code', type: 'text', required: true, createOnly: true },
      { key: 'region_code', type: 'region', required: true },
      { key: 'kinds', type: 'multi', vocab: 'employer_kind', required: true },
      { key: 'industry', type: 'text' },
      { key: 'contact_name', type: 'text' },
      { key: 'contact_phone', type: 'text' },
      { key: 'address', type: 'text' },
      { key: 'note', type: 'textarea' },
    ],
  },
  jobs: {
    name: 'jobs', one: 'job', titleKey: 'title', importKind: 'jobs',
    columns: [
      { key: 'title', sort: 'title' },
      { key: 'region_name', sort: 'region_code' },
      { key: 'wage_min', kind: 'yuan', width: 120 },
      { key: 'wage_max', sort: 'wage_max', kind: 'yuan', width: 120 },
      { key: 'openings', width: 100 },
      { key: 'kind', vocab: 'job_kind', width: 120 },
      { key: 'status', vocab: 'job_status', width: 90 },
      { key: 'start_date', kind: 'date', width: 120, hidden: true },
      ...meta,
    ],
    filters: [{ key: 'kind', vocab: 'job_kind' }, { key: 'status', vocab: 'job_status' }],
    fields: [
      { key: 'employer_id', type: 'employer', required: true, createOnly: true },
      { key: 'title', type: 'text', required: true },
      { key: 'occupation', type: 'text' },
      { key: 'skills', type: 'tags' },
      { key: 'region_code', type: 'region', required: true },
      { key: 'wage_min', type: 'yuan' },
      { key: 'wage_max', type: 'yuan' },
      { key: 'openings', type: 'int' },
      { key: 'min_age', type: 'int' },
      { key: 'max_age', type: 'int' },
      { key: 'min_education', type: 'select', vocab: 'education' },
      { key: 'board', type: 'bool' },
      { key: 'lodging', type: 'bool' },
      { key: 'transport', type: 'bool' },
      { key: 'kind', type: 'select', vocab: 'job_kind' },
      { key: 'status', type: 'select', vocab: 'job_status' },
      { key: 'start_date', type: 'date' },
      { key: 'end_date', type: 'date' },
      { key: 'description', type: 'textarea' },
    ],
  },
}

// The member fields of the household form: a person without household_id.
export const memberFields: FieldSpec[] = entities.persons.fields.filter(
  (f) => f.key !== 'household_id' && !['certificates', 'wanted_occupations', 'note', 'expected_wage'].includes(f.key),
)
