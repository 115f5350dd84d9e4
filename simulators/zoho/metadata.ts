/**
 * @module simulators/zoho/metadata
 * Module and field metadata as `settings/modules` and `settings/fields` return them. The OAS
 * (`modules.json` `modules`, `fields.json` `fields`) requires about 60 and 80 keys; every one is
 * present. Where the OAS requires an object that Zoho is believed to send as null (`tooltip`,
 * `crypt`, `history_tracking`, …; UNCONFIRMED), an empty object of the required shape is sent.
 * Multi-module lookups (`What_Id`, `Parent_Id`) are `lookup` fields whose module is
 * `se_module`, which is how the official SDK recognises them.
 */
import { type FieldDef, type FieldType, type ModuleDef, moduleDefs } from './modules.ts'
import type { SimUser } from './users-data.ts'

const LAYOUT = { api_name: 'Standard', name: 'Standard', id: '5725767000000091055' }
const NO_MODULE = { api_name: null, id: null }

const JSON_TYPE: Record<FieldType, string> = {
  text: 'string',
  textarea: 'string',
  email: 'string',
  phone: 'string',
  website: 'string',
  picklist: 'string',
  datetime: 'string',
  boolean: 'boolean',
  integer: 'integer',
  bigint: 'string',
  lookup: 'jsonobject',
  ownerlookup: 'jsonobject',
  multi_module_lookup: 'jsonobject',
}

const label = (apiName: string) => apiName.replace(/__s$/, '').replaceAll('_', ' ')

const fieldId = (moduleIndex: number, fieldIndex: number) =>
  `5725767000000${String(600_000 + moduleIndex * 1000 + fieldIndex)}`

const lookupOf = (field: FieldDef) => {
  if (field.type === 'multi_module_lookup') {
    return {
      display_label: label(field.apiName),
      api_name: field.apiName,
      module: { api_name: 'se_module', id: null },
      id: null,
    }
  }
  if (field.type !== 'lookup' || !field.lookupModule) return null
  const target = moduleDefs.find((module) => module.apiName === field.lookupModule)
  return {
    display_label: label(field.apiName),
    api_name: field.apiName,
    module: { api_name: field.lookupModule, id: target?.id ?? null },
    id: null,
  }
}

export const fieldDescriptor = (
  field: FieldDef,
  moduleIndex: number,
  fieldIndex: number,
  admin: SimUser,
) => {
  const editable = !field.readOnly
  const dataType = field.type === 'multi_module_lookup' ? 'lookup' : field.type
  return {
    associated_module: NO_MODULE,
    data_type: dataType,
    operation_type: {
      web_update: editable,
      api_create: editable,
      web_create: editable,
      api_update: editable,
    },
    system_mandatory: field.mandatory === true,
    webhook: true,
    blueprint_supported: false,
    virtual_field: false,
    field_read_only: field.readOnly === true,
    customizable_properties: [],
    read_only: field.readOnly === true,
    custom_field: false,
    businesscard_supported: false,
    filterable: true,
    visible: true,
    available_in_user_layout: true,
    display_field: false,
    pick_list_values_sorted_lexically: false,
    sortable: true,
    layout_associations: [LAYOUT],
    separator: false,
    searchable: true,
    enable_colour_code: false,
    mass_update: false,
    json_type: JSON_TYPE[field.type],
    created_source: 'default',
    type: 'used',
    display_label: label(field.apiName),
    column_name: field.apiName.toUpperCase(),
    api_name: field.apiName,
    display_type: -1,
    ui_type: 1,
    colour_code_enabled_by_system: false,
    length: field.length ?? 120,
    decimal_place: null,
    quick_sequence_number: String(fieldIndex + 1),
    email_parser: { fields_update_supported: false, record_operations_supported: false },
    rollup_summary: null,
    refer_from_field: { id: null, api_name: null },
    created_time: null,
    modified_time: null,
    show_type: 0,
    category: 0,
    id: fieldId(moduleIndex, fieldIndex),
    multi_module_lookup: null,
    sharing_properties: {},
    currency: null,
    file_upolad_optionlist: [],
    lookup: lookupOf(field),
    profiles: [
      {
        name: admin.profile.name,
        id: admin.profile.id,
        permission_type: editable ? 'read_write' : 'read_only',
      },
    ],
    view_type: { view: true, edit: editable, quick_create: false, create: editable },
    unique: null,
    sub_module: NO_MODULE,
    subform: null,
    external: { show: null, type: null },
    formula: null,
    private: { restricted: false, type: null, export: null },
    convert_mapping: {},
    multiselectlookup: null,
    multiuserlookup: {
      display_label: null,
      linking_module: NO_MODULE,
      connected_module: NO_MODULE,
      lookup_apiname: null,
      api_name: null,
      connectedfield_apiname: null,
      connectedlookup_apiname: null,
      id: null,
      record_access: null,
    },
    autonumber: { starting_number_length: 0, prefix: null, suffix: null, start_number: null },
    auto_number: null,
    pick_list_values: (field.values ?? []).map((value, i) => ({
      colour_code: null,
      actual_value: value,
      type: 'used',
      id: `${fieldId(moduleIndex, fieldIndex)}${i}`.slice(0, 19),
      sequence_number: i + 1,
      display_value: value,
    })),
    crypt: { mode: null, status: null },
    tooltip: { name: '', value: '' },
    history_tracking: { module: {}, duration_configured_field: NO_MODULE },
    association_details: { related_field: NO_MODULE, lookup_field: NO_MODULE },
    allowed_modules: [],
    additional_column: null,
    field_label: label(field.apiName),
    'common.picklist': null,
    hipaa_compliance_enabled: false,
    hipaa_compliance: { restricted_in_export: false, restricted: false },
    _update_existing_records: false,
    number_separator: false,
    textarea: field.type === 'textarea' ? { type: 'large' } : {},
    static_field: false,
  }
}

export const moduleDescriptor = (module: ModuleDef, index: number, admin: SimUser) => ({
  has_more_profiles: false,
  'common.search_supported': module.records,
  deletable: false,
  description: null,
  creatable: true,
  recycle_bin_on_delete: true,
  inventory_template_supported: false,
  modified_time: null,
  plural_label: module.plural,
  presence_sub_menu: false,
  triggers_supported: true,
  id: module.id,
  chart_view: false,
  isBlueprintSupported: module.records,
  visibility: 1,
  visible: true,
  convertable: module.apiName === 'Leads',
  editable: true,
  emailTemplate_support: module.records,
  email_parser_supported: false,
  filter_supported: true,
  show_as_tab: module.records,
  web_link: null,
  sequence_number: index + 1,
  singular_label: module.singular,
  viewable: true,
  api_supported: true,
  api_name: module.apiName,
  quick_create: module.records,
  generated_type: 'default',
  feeds_required: false,
  scoring_supported: module.apiName === 'Leads' || module.apiName === 'Contacts',
  webform_supported: module.apiName === 'Leads' || module.apiName === 'Contacts',
  arguments: [],
  module_name: module.plural,
  chart_view_supported: true,
  profile_count: 1,
  business_card_field_limit: 5,
  track_current_data: false,
  modified_by: { name: `${admin.firstName} ${admin.lastName}`, id: admin.id },
  profiles: [{ name: admin.profile.name, id: admin.profile.id }],
  parent_module: null,
  activity_badge: module.records ? 'Enabled' : 'Disabled',
  $field_states: [],
  business_card_fields: [],
  per_page: 200,
  $properties: [],
  $on_demand_properties: [],
  search_layout_fields: module.fields
    .filter((field) => field.type === 'phone')
    .map((field) => field.apiName),
  kanban_view_supported: false,
  lookup_field_properties: { fields: [] },
  kanban_view: false,
  related_lists: [],
  filter_status: true,
  related_list_properties: { sort_by: { api_name: null, id: null }, fields: [], sort_order: null },
  display_field: null,
  layouts: [],
  fields: [],
  custom_view: null,
  zia_view: false,
  default_mapping_fields: [],
  layout_associations: [LAYOUT],
})
