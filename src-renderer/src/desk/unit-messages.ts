// UI text of handling units and joint handling 联合执法 (issue 17 §3); zh-CN and English, in the
// vocabulary of 智网: 村（社区）委会, 镇街（园区）部门, 市直部门, 牵头单位, 协办单位.
export const unitZh = {
  'unit.group.village': '村（社区）委会',
  'unit.group.town': '镇街（园区）部门',
  'unit.group.city': '市直部门',
  'unit.level': '权责清单：本类问题隐患由{level}及以上办理',
  'unit.level.village': '村（社区）委会',
  'unit.level.town': '镇街（园区）部门',
  'unit.level.city': '市直部门',
  'unit.recommended': '推荐',
  'unit.joint': '联合执法（牵头单位签收、反馈并计时，协办单位可见并配合）',
  'unit.coUnits': '协办单位',
  'unit.coUnitsNone': '本辖区内没有可协办的单位',
  'unit.lead': '牵头',
  'unit.co': '协办',
  'unit.event.joint': '联合执法，协办：{units}',
  'desk.reject.WRONG_HANDLING_LEVEL': '不符合权责清单的办理层级',
};

export const unitEn: Record<keyof typeof unitZh, string> = {
  'unit.group.village': 'Village (community) committees',
  'unit.group.town': 'Town (park) departments',
  'unit.group.city': 'City bureaus',
  'unit.level': 'Responsibility list: handled by {level} or above',
  'unit.level.village': 'a village (community) committee',
  'unit.level.town': 'a town (park) department',
  'unit.level.city': 'a city bureau',
  'unit.recommended': 'recommended',
  'unit.joint':
    'Joint handling (the lead unit signs, reports back and carries the clock; co-units see the case and assist)',
  'unit.coUnits': 'Co-units',
  'unit.coUnitsNone': 'No unit of this jurisdiction can assist',
  'unit.lead': 'lead',
  'unit.co': 'co-unit',
  'unit.event.joint': 'joint handling, co-units: {units}',
  'desk.reject.WRONG_HANDLING_LEVEL': 'Not the handling level of the responsibility list',
};
