"""The default catalogue of the 12 high-frequency services at a community window (DOMAIN.md §5).

Pure data: every locality may replace it, but a fresh installation starts from this list.
Material checklists follow the published catalogues cited in DOMAIN.md §5; wording is what a
window clerk writes on a 材料清单目录.
"""

from __future__ import annotations

import uuid

from dataclasses import dataclass


@dataclass(frozen=True)
class MaterialItem:
    """One line of a 材料清单目录: what to bring, in which form and how many copies."""

    code: str
    name: str
    original: bool  # 原件 (shown and usually returned after checking)
    copy: bool  # 复印件 (kept in the case file)
    copies: int
    note: str = ""
    condition: str = ""  # empty = always required, else e.g. "有残疾的提供"
    source: str = ""  # who issues it / where to obtain it (DOMAIN §4.2); empty = see MATERIAL_SOURCES

    @property
    def form_text(self) -> str:
        """原件 / 复印件 / 原件及复印件, as printed in the 原件或复印件 column."""
        if self.original and self.copy:
            return "原件及复印件"
        return "原件" if self.original else "复印件"

    @property
    def conditional(self) -> bool:
        return bool(self.condition)


@dataclass(frozen=True)
class ServiceDefinition:
    """A service the window accepts: its rules, time limit and the materials it needs."""

    code: str
    name: str
    category: str
    simple: bool
    time_limit_wd: int | None  # None = finished during the same visit (当场办结)
    legal_basis: str
    conditions: str
    procedure: str
    materials: tuple[MaterialItem, ...]
    decision_level: str
    sensitive: bool  # touches sensitive personal information (PIPL §28: health, finances, minors)

    @property
    def same_visit(self) -> bool:
        return self.time_limit_wd is None

    def required_materials(self) -> tuple[MaterialItem, ...]:
        return tuple(m for m in self.materials if not m.conditional)


def _m(code: str, name: str, form: str, copies: int = 1, note: str = "", condition: str = "") -> MaterialItem:
    # form is "原", "复" or "原复" — keeps the table below one line per material
    return MaterialItem(code, name, "原" in form, "复" in form, copies, note, condition,
                        MATERIAL_SOURCES.get(code, ""))


# The issuing body / where a resident obtains each material (一次性告知 must say it: DOMAIN §4.2).
MATERIAL_SOURCES: dict[str, str] = {
    "ID_CARD": "本人持有；遗失的到公安派出所补领",
    "HUKOU": "本户持有；户籍所在地公安派出所",
    "PROXY": "委托人签署，授权委托书样表在本站窗口领取",
    "BANK_ACCOUNT": "本人到银行网点开立",
    "BIRTH_CERT": "出生医院（助产机构）签发",
    "GUARDIAN_ID": "监护人本人持有",
    "RESIDENCE_PERMIT": "居住地公安派出所签发",
    "FORM": "本站窗口领取",
    "DISABILITY_CARD": "区残疾人联合会核发",
    "HARDSHIP_PROOF": "街道办事处或区民政部门出具",
    "SSCARD": "人力资源社会保障部门或合作银行网点办理",
    "PHOTO": "自行拍摄",
    "CONTRACT_END": "原工作单位出具",
    "STATEMENT": "本站窗口领取，本人签署",
    "APPLICATION": "申请人本人书写，样表在本站窗口领取",
    "FAMILY_ID": "各家庭成员本人持有",
    "INCOME_DECL": "本站窗口领取",
    "VERIFY_AUTH": "本站窗口领取",
    "MARRIAGE": "婚姻登记机关（区民政局）出具",
    "MEDICAL": "就诊医院出具",
    "HARDSHIP_EVIDENCE": "医院、保险机构、消防或应急管理等部门出具",
    "DIBAO_PROOF": "区民政部门核发或街道办事处出具",
    "OLD_CARD": "本人持有",
    "PROPERTY": "不动产登记机构核发；购房合同由买卖双方签订",
    "LEASE": "租赁双方签订，已备案的附租赁登记备案证明",
    "HOST_STATEMENT": "房主本人签署",
}


_ID = _m("ID_CARD", "居民身份证", "原复", 1, "原件核验后当场退还")
_ID_ONLY = _m("ID_CARD", "居民身份证", "原", 1, "核验后当场退还")
_HUKOU = _m("HUKOU", "户口簿", "原复", 1, "复印首页及本人页")
_PROXY = _m("PROXY", "代办人居民身份证及授权委托书", "原", 1, "", "委托他人代办的提供")
_BANK = _m("BANK_ACCOUNT", "本人名下银行卡或存折", "复", 1, "复印账号页")

DEFAULT_SERVICES: tuple[ServiceDefinition, ...] = (
    ServiceDefinition(
        "MEDICAL_INSURANCE_ENROL", "城乡居民基本医疗保险参保登记（含新生儿）", "医保", True, None,
        "《中华人民共和国社会保险法》第二十五条；《国务院关于整合城乡居民基本医疗保险制度的意见》（国发〔2016〕3号）",
        "未参加职工基本医疗保险的本地户籍居民或持本地居住证的常住居民；新生儿出生后即可参保。",
        "提交材料→窗口核验身份→系统登记→当场告知缴费方式",
        (
            _ID,
            _HUKOU,
            _m("BIRTH_CERT", "出生医学证明", "原复", 1, "", "新生儿参保提供"),
            _m("GUARDIAN_ID", "监护人居民身份证", "原", 1, "", "新生儿或未成年人参保提供"),
            _m("RESIDENCE_PERMIT", "居住证", "原复", 1, "", "非本地户籍居民提供"),
            _m("FORM", "城乡居民医疗保险参保登记表", "原", 1, "窗口领取，现场填写"),
        ),
        "社区受理并当场办结", True,  # newborns are minors under 14: sensitive under PIPL §28
    ),
    ServiceDefinition(
        "PENSION_ENROL", "城乡居民基本养老保险参保登记", "社保", True, 5,
        "《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）；《城乡居民基本养老保险经办规程》（人社部发〔2014〕23号）",
        "年满16周岁（不含在校学生），不属于职工基本养老保险覆盖范围的本地户籍居民，在户籍地参保。",
        "受理→核对参保信息→上报街道社保所→登记完成后电话告知",
        (
            _HUKOU,
            _ID,
            _m("FORM", "城乡居民基本养老保险参保登记表", "原", 1, "本人签字"),
            _m("DISABILITY_CARD", "残疾人证", "原复", 1, "申请政府代缴", "重度残疾人提供"),
            _m("HARDSHIP_PROOF", "低保、特困等困难群体证明", "复", 1, "申请政府代缴", "低保对象、特困人员提供"),
        ),
        "社区受理、街道社保所办结", False,
    ),
    ServiceDefinition(
        "PENSION_QUALIFICATION", "养老保险待遇领取资格认证", "社保", True, None,
        "《中华人民共和国社会保险法》；人力资源社会保障部关于全面开展领取社会保险待遇资格确认工作的规定",
        "正在领取养老保险待遇的人员，每年认证一次。",
        "核验身份→人脸识别或工作人员现场确认→系统登记→当场告知结果",
        (
            _ID_ONLY,
            _m("SSCARD", "社会保障卡", "原", 1, "有卡的提供"),
            _PROXY,
        ),
        "社区受理并当场办结", False,
    ),
    ServiceDefinition(
        "FLEXIBLE_EMPLOYMENT_SI", "灵活就业人员社保参保登记/缴费申报", "社保", True, None,
        "《中华人民共和国社会保险法》第十条、第二十三条",
        "无雇工的个体工商户、未在用人单位参加社会保险的非全日制从业人员及其他灵活就业人员。",
        "提交材料→核验身份→填写登记表→系统申报→当场告知缴费档次与方式",
        (
            _ID,
            _m("SSCARD", "社会保障卡或本人银行卡", "复", 1, "用于签订缴费协议"),
            _m("FORM", "灵活就业人员参保登记表", "原", 1, "窗口领取，现场填写"),
        ),
        "社区受理并当场办结", False,
    ),
    ServiceDefinition(
        "EMPLOYMENT_REGISTRATION", "就业失业登记（《就业创业证》）", "就业", True, None,
        "《中华人民共和国就业促进法》；《就业服务与就业管理规定》（劳动和社会保障部令第28号）",
        "法定劳动年龄内、有劳动能力和就业要求的本地户籍或常住居民。",
        "提交材料→核验身份→填写登记表→系统登记→当场发放或登记《就业创业证》",
        (
            _ID_ONLY,
            _m("PHOTO", "近期一寸免冠照片", "原", 2, "首次申领《就业创业证》的提供"),
            _m("FORM", "就业失业登记申请表", "原", 1, "窗口领取，现场填写"),
            _m("CONTRACT_END", "解除或终止劳动合同证明", "复", 1, "", "失业登记且原有工作单位的提供"),
            _m("STATEMENT", "失业人员个人承诺书", "原", 1, "本人签字", "失业登记的提供"),
        ),
        "社区受理并当场办结", False,
    ),
    ServiceDefinition(
        "DIBAO", "最低生活保障申请", "民政救助", False, 5,
        "《社会救助暂行办法》第九条至第十五条；《最低生活保障审核确认办法》（民发〔2021〕57号）",
        "共同生活的家庭成员人均收入低于当地最低生活保障标准，且家庭财产状况符合当地规定。",
        "受理→入户调查→家庭经济状况核对→民主评议及公示→上报街道审核确认→结果告知",
        (
            _m("APPLICATION", "最低生活保障申请书", "原", 1, "申请人本人签字"),
            _m("FAMILY_ID", "共同生活家庭成员居民身份证", "原复", 1, "每人各1份"),
            _HUKOU,
            _m("INCOME_DECL", "家庭收入及财产状况申报表", "原", 1, "如实填写，全体成员签字"),
            _m("VERIFY_AUTH", "家庭经济状况核对授权书", "原", 1, "共同生活的家庭成员均须签字"),
            _m("MARRIAGE", "结婚证或离婚证、离婚协议", "复", 1, "", "已婚或离异的提供"),
            _m("DISABILITY_CARD", "残疾人证", "原复", 1, "", "家庭成员有残疾的提供"),
            _m("MEDICAL", "病历或医院诊断证明", "复", 1, "", "家庭成员患重病的提供"),
            _BANK,
        ),
        "社区受理、初审，街道审核确认", True,
    ),
    ServiceDefinition(
        "TEMPORARY_AID", "临时救助申请", "民政救助", False, 5,
        "《社会救助暂行办法》第四十七条至第五十条；《国务院关于全面建立临时救助制度的通知》（国发〔2014〕47号）",
        "因火灾、交通事故、突发重大疾病等意外事件，或因生活必需支出突然增加，基本生活暂时出现严重困难的家庭或个人。",
        "受理→核实困难情况→家庭经济状况核对→上报街道审批（情况紧急的先行救助）→结果告知",
        (
            _m("APPLICATION", "临时救助申请书", "原", 1, "写明困难原因，本人签字"),
            _ID,
            _HUKOU,
            _m("HARDSHIP_EVIDENCE", "遭遇困难的证明材料", "复", 1, "如医疗费用票据、诊断证明、事故或火灾证明"),
            _m("VERIFY_AUTH", "家庭经济状况核对授权书", "原", 1, "共同生活的家庭成员均须签字"),
            _BANK,
        ),
        "社区受理、初审，街道审批", True,
    ),
    ServiceDefinition(
        "ELDERLY_ALLOWANCE", "高龄津贴申领", "养老服务", True, 5,
        "《中华人民共和国老年人权益保障法》第三十三条；本市高龄津贴发放管理办法",
        "本地户籍、年满80周岁的老年人。",
        "受理→核验年龄及户籍→上报街道审核→次月起按月发放",
        (
            _ID,
            _HUKOU,
            _BANK,
            _PROXY,
        ),
        "社区受理、街道审核", False,
    ),
    ServiceDefinition(
        "DISABILITY_SUBSIDIES", "残疾人两项补贴（困难残疾人生活补贴、重度残疾人护理补贴）", "残疾人服务", False, 5,
        "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）",
        "困难残疾人生活补贴：低保家庭中的残疾人；重度残疾人护理补贴：残疾等级为一级、二级且需要长期照护的重度残疾人。",
        "受理→入户核实→上报街道审核→区残联、民政部门审定→结果告知",
        (
            _m("FORM", "残疾人两项补贴申请审批表", "原", 1, "本人或监护人签字"),
            _m("DISABILITY_CARD", "第二代残疾人证", "原复", 1, "原件核验后当场退还"),
            _ID,
            _HUKOU,
            _m("DIBAO_PROOF", "最低生活保障证或低保边缘家庭证明", "复", 1, "", "申请困难残疾人生活补贴的提供"),
            _BANK,
            _PROXY,
        ),
        "社区受理、街道审核，区残联和民政部门审定", True,
    ),
    ServiceDefinition(
        "DISABILITY_CERTIFICATE", "残疾人证申领/换领", "残疾人服务", False, 5,
        "《中华人民共和国残疾人保障法》；《中华人民共和国残疾人证管理办法》",
        "符合残疾标准的本地户籍居民；证件到期、损毁或残疾等级变化的可申请换领。",
        "受理→开具评定介绍信→指定医院残疾评定→区残联审核发证",
        (
            _ID,
            _HUKOU,
            _m("PHOTO", "近期二寸白底彩色免冠照片", "原", 3),
            _m("FORM", "残疾人证申请表", "原", 1, "窗口领取，现场填写"),
            _m("MEDICAL", "相关病历及检查资料", "复", 1, "有助于残疾评定", "有病历的提供"),
            _m("OLD_CARD", "原残疾人证", "原", 1, "", "换领的提供"),
        ),
        "社区受理、区残联审核发证", True,
    ),
    ServiceDefinition(
        "SENIOR_CARD", "老年人优待证办理", "养老服务", True, 5,
        "《中华人民共和国老年人权益保障法》第五章",
        "年满60周岁的本地户籍老年人，或持本地居住证的常住老年人。",
        "受理→核验身份及年龄→上报制证→制证完成后电话通知领取",
        (
            _ID,
            _m("PHOTO", "近期一寸免冠照片", "原", 2),
            _m("RESIDENCE_PERMIT", "居住证", "原复", 1, "", "非本地户籍老年人提供"),
            _PROXY,
        ),
        "社区受理、街道制证", False,
    ),
    ServiceDefinition(
        "RESIDENCE_CERT", "居住证明开具", "证明开具", True, None,
        "《中华人民共和国城市居民委员会组织法》；民政部等六部门《关于改进和规范基层群众性自治组织出具证明工作的指导意见》",
        "在本社区实际居住的居民，由社区核实身份和居住事实后出具。",
        "提交材料→核验身份及居住依据→当场出具并加盖公章",
        (
            _ID,
            _m("PROPERTY", "不动产权证书或购房合同", "原复", 1, "", "自有住房的提供"),
            _m("LEASE", "房屋租赁合同", "原复", 1, "", "租住的提供"),
            _m("HOST_STATEMENT", "房主身份证复印件及借住说明", "复", 1, "房主签字", "借住的提供"),
        ),
        "社区居委会当场出具", False,
    ),
)

# The first national list of certificates residents' committees should not issue (民政部等六部门, 2020).
BLOCKED_CERTIFICATES: tuple[str, ...] = (
    "亲属关系证明",
    "居民身份信息证明",
    "户口登记项目内容变更申请证明",
    "居民养犬证明",
    "无犯罪记录证明",
    "社区戒毒社区康复人员情况证明",
    "人员失踪证明",
    "婚姻状况证明",
    "出生证明",
    "健在证明",
    "死亡证明",
    "疾病状况证明",
    "残疾状况证明",
    "婚育状况证明",
    "居民就业状况证明",
    "居民个人档案证明",
    "居民财产证明",
    "遗产继承权证明",
    "市场主体住所证明",
    "证件遗失证明",
)


def service_by_code(code: str) -> ServiceDefinition:
    """The default service with this code (KeyError when unknown)."""
    for service in DEFAULT_SERVICES:
        if service.code == code:
            return service
    raise KeyError(code)


def default_service_id(community_id: str, code: str) -> str:
    """The key of a default catalogue entry: the same on every workstation of the community, so that two
    stations that both seeded the defaults before their first sync hold one catalogue, not two (the hub
    merges the second insert into the first, field by field)."""
    return str(uuid.uuid5(_CATALOGUE_NS, f"{community_id}/service_item/{code}"))


def default_service_ids(community_id: str) -> list[str]:
    return [default_service_id(community_id, svc.code) for svc in DEFAULT_SERVICES]


_CATALOGUE_NS = uuid.UUID("6f1f4a52-3c1e-4e0b-9d3a-2a8f3b7c5e10")
