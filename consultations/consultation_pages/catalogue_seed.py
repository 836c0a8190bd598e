"""The policy's own lists, seeded into the catalogue by a data migration.

(slug, Chinese name as the policy words it, English name). Officials can add more in the
admin; these are the starting point every county shares.
"""

CATEGORIES = [
    # 三(一) 明确协商内容
    ("land-transfer", "土地流转", "Land transfer"),
    ("public-facilities", "公共设施", "Public facilities"),
    ("roads-water", "交通水利基础设施", "Roads and water works"),
    ("environment", "生态环境", "Ecological environment"),
    ("requisition", "征地拆迁", "Land requisition and demolition"),
    ("disputes", "困难问题和矛盾纠纷", "Disputes and difficulties"),
    ("policies", "方针政策落实", "Carrying out policies"),
    ("required-by-law", "法律法规要求协商的事项", "Matters the law requires to be consulted"),
    ("participant-requests", "协商主体提出的协商需求", "Requests raised by participants"),
    ("other", "其他", "Other"),
]

PARTICIPANT_GROUPS = [
    # 三(二) 确定协商范围
    ("government", "基层政府及其派出机关", "Township government and its offices"),
    ("party-branch", "村(社区)党组织", "Village or community party branch"),
    ("committee", "村(居)民委员会", "Villagers' or residents' committee"),
    ("supervisory-committee", "村(居)务监督委员会", "Supervisory committee"),
    ("resident-groups", "村(居)民小组", "Villager or resident groups"),
    (
        "deputies",
        "两代表一委员",
        "Deputies to the people's congress and party congress, CPPCC members",
    ),
    ("resident-units", "驻村(社区)单位", "Units based in the village or community"),
    ("social-organisations", "基层社会组织", "Community social organisations"),
    ("paired-units", "双联单位", "Paired units"),
    ("assistance-team", "驻村帮扶工作队", "Village assistance team"),
    ("owners-committee", "业主委员会", "Owners' committee"),
    ("collective", "农村集体经济组织", "Rural collective economic organisation"),
    ("cooperatives", "农民合作组织", "Farmers' cooperatives"),
    ("property-company", "物业服务企业", "Property management company"),
    ("registered-residents", "户籍居民", "Registered residents"),
    ("non-registered-residents", "非户籍居民代表", "Representatives of non-registered residents"),
    ("experts", "专家学者和专业技术人员", "Experts and technical specialists"),
    ("uninvolved-residents", "与利益无关的群众代表", "Residents with no stake in the matter"),
]

FORMATS = [
    # 三(三) 规范协商形式
    ("assembly", "村(居)民会议", "Villagers' or residents' assembly"),
    ("representatives", "村(居)民代表会议", "Representatives' meeting"),
    ("council", "村(居)民议事会", "Deliberation council"),
    ("board", "村(居)民理事会", "Residents' board"),
    ("estate", "小区协商", "Estate consultation"),
    ("owners", "业主协商", "Owners' consultation"),
    ("hearing", "民主听证会", "Public hearing"),
    ("evaluation", "民主评议", "Democratic evaluation"),
    ("forum", "村(居)民论坛", "Residents' forum"),
    ("online", "网络协商", "Online consultation"),
]
