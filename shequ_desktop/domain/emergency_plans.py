"""The seven hazard plans a station starts with (R59): steps (title, role, minutes after the report), roles,
contacts, assembly points and supplies. A station edits them; these are only the first version.

Public numbers (119 fire, 120 ambulance, 110 police, 96777 gas emergency in Wuhan) are the national or
local emergency numbers; the station's own contacts are added by the chief.
"""

from __future__ import annotations

from typing import Any

from shequ_desktop.domain.emergency import FURTHER_STEPS

_COMMON_ROLES = (
    {"role": "总指挥", "duty": "社区党委书记：统一指挥，决定启动和终止响应"},
    {"role": "联络员", "duty": "向街道和有关部门报告，通知队员"},
    {"role": "疏散引导", "duty": "楼栋长、网格员：组织居民有序疏散，清点人数"},
    {"role": "人员核查", "duty": "网格社工：逐一联系独居、失能老人和残疾人、困境儿童"},
    {"role": "后勤保障", "duty": "物业：物资调配、临时安置点保障"},
)
_COMMON_CONTACTS = (
    {"name": "火警", "role": "消防", "phone": "119"},
    {"name": "急救中心", "role": "医疗", "phone": "120"},
    {"name": "报警", "role": "公安", "phone": "110"},
    {"name": "珞南街道应急办", "role": "上级", "phone": "027-87650110"},
)


# R65 breaks off after "report to the subdistrict": the further steps a plan offers on the incident's timeline
# (the chief edits them with the plan; a free entry is always possible).
_FURTHER = {
    "epidemic": ("启动应急预案", "配合流行病学调查", "组织居民核酸检测", "管控区域生活物资配送", "重点人员每日随访",
                 "公共区域消杀", "解除管控"),
    "typhoon": ("启动应急预案", "转移危旧房居民", "开放临时安置点", "清理倒伏树木和高空坠物", "灾后险情排查",
                "安置受影响居民"),
    "rainstorm": ("启动应急预案", "转移低洼处居民", "开放临时安置点", "协助排水抢险", "灾后消杀和险情排查",
                  "安置受影响居民"),
    "earthquake": ("启动应急预案", "组织居民疏散", "开放临时安置点", "协助专业救援力量", "房屋安全排查",
                   "安置受影响居民"),
}


def _plan(hazard: str, name: str, steps: list[tuple[str, str, int]], assembly: list[str], supplies: list[str],
          extra_contacts: tuple[dict[str, str], ...] = ()) -> dict[str, Any]:
    return {"hazard": hazard, "name": name,
            "steps": [{"title": t, "role": r, "minutes": m} for t, r, m in steps],
            "roles": [dict(r) for r in _COMMON_ROLES], "contacts": [*map(dict, _COMMON_CONTACTS), *extra_contacts],
            "assembly_points": assembly, "supplies": supplies,
            "further_steps": list(_FURTHER.get(hazard, FURTHER_STEPS))}


DEFAULT_PLANS: tuple[dict[str, Any], ...] = (
    _plan("epidemic", "疫情防控", [
        ("接报后核实病例或密接人员信息", "网格社工", 15), ("上报街道和社区卫生服务中心", "联络员", 15),
        ("配合划定管控区域，张贴告示", "总指挥", 60), ("排查楼栋居民健康状况，建立台账", "网格社工", 120),
        ("为独居、失能老人和困境儿童安排生活物资", "人员核查", 240), ("公共区域消杀", "后勤保障", 240)],
        ["社区党群服务中心广场"], ["口罩", "消毒液", "测温枪", "防护服", "隔离告示牌"]),
    _plan("fire", "火灾", [
        ("拨打119报警，说明地址和起火部位", "接报人", 1), ("网格社工到场，组织楼内人员疏散", "疏散引导", 5),
        ("上报街道应急办", "联络员", 15), ("逐一核查独居、失能老人等重点人员", "人员核查", 15),
        ("使用灭火器、消防栓扑救初期火灾（确保安全）", "抢险救援", 10), ("引导消防车进入，清理消防通道", "后勤保障", 10),
        ("清点疏散人数，安置受影响居民", "总指挥", 60)],
        ["小区中心广场", "东门停车场"], ["灭火器", "消防水带", "防烟面罩", "应急照明灯", "扩音器", "急救箱"]),
    _plan("typhoon", "台风", [
        ("接收台风预警，通知应急队员待命", "联络员", 30), ("加固广告牌、清理阳台和高空物品", "后勤保障", 120),
        ("转移危旧房和低洼处居民", "疏散引导", 180), ("上报街道转移人数", "联络员", 15),
        ("逐一联系独居、失能老人", "人员核查", 60), ("台风过后排查险情", "抢险救援", 360)],
        ["社区党群服务中心（临时安置点）"], ["沙袋", "雨衣", "手电筒", "绳索", "应急食品和饮用水"]),
    _plan("rainstorm", "暴雨内涝", [
        ("接报后网格社工到场查看积水", "网格社工", 5), ("上报街道和排水部门", "联络员", 15),
        ("地下车库和低洼楼栋设置警戒", "后勤保障", 20), ("转移一楼和地下室住户", "疏散引导", 60),
        ("逐一核查独居、失能老人等重点人员", "人员核查", 30), ("布设沙袋和抽水泵", "抢险救援", 60)],
        ["书香苑会所二楼", "社区党群服务中心"], ["沙袋", "抽水泵", "警戒带", "救生衣", "雨靴"]),
    _plan("earthquake", "地震", [
        ("组织居民就近避险，震后迅速撤离到空旷地带", "疏散引导", 5), ("上报街道震情和伤亡", "联络员", 15),
        ("清点各楼栋撤离人数", "总指挥", 30), ("逐一核查独居、失能老人和残疾人", "人员核查", 30),
        ("协助救援被困人员，救护伤员", "医疗救护", 30), ("设立临时安置点", "后勤保障", 120)],
        ["小区中心广场", "南湖公园"], ["帐篷", "急救箱", "担架", "应急照明灯", "饮用水"]),
    _plan("gas_leak", "燃气泄漏", [
        ("通知燃气公司抢修，严禁开关电器和明火", "接报人", 5), ("网格社工到场，疏散本楼栋居民", "疏散引导", 5),
        ("上报街道应急办", "联络员", 15), ("设置警戒区，打开楼道门窗通风", "抢险救援", 10),
        ("核查楼内独居、失能老人", "人员核查", 15)],
        ["小区东门外空地"], ["警戒带", "防爆手电", "扩音器", "燃气检测仪"],
        ({"name": "燃气抢修", "role": "燃气公司", "phone": "96777"},)),
    _plan("highrise_fire", "高层建筑火灾", [
        ("拨打119报警，说明楼栋、楼层和起火部位", "接报人", 1), ("启动楼内消防广播，组织经楼梯疏散（禁用电梯）", "疏散引导", 5),
        ("上报街道应急办", "联络员", 15), ("逐层核查独居、失能老人和行动不便人员", "人员核查", 15),
        ("引导消防车到登高作业面，清理消防通道", "后勤保障", 10), ("设置医疗救护点", "医疗救护", 20),
        ("清点疏散人数，安置受影响居民", "总指挥", 60)],
        ["小区中心广场（距楼栋30米以外）"], ["灭火器", "防烟面罩", "逃生绳", "应急照明灯", "担架", "急救箱"]),
)
