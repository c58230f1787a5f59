#!/usr/bin/env python3
# make-data.py: writes the intake test files in the encodings labs send
# (UTF-8, UTF-8 with BOM, GB18030; LF and CRLF). Run from this folder; the
# output is committed so the tests need no Python.
HEADER = "抽样单编号,报告编号,检验项目,检验结果,单位,标准限值,检出限,单项判定,结论,检验日期"
ROWS = [
    "DC24120104000001,BG2024-0001,铅(以Pb计),0.12,mg/kg,≤0.5,0.01,合格,合格,2024-03-05",
    'DC24120104000001,BG2024-0001,菌落总数,"10,20,<10,30,15",CFU/g,"n=5,c=2,m=100,M=1000",,合格,合格,2024-03-05',
    "DC24120104000002,BG2024-0002,苯甲酸及其钠盐(以苯甲酸计),0.62,g/kg,≤0.5,0.005,不合格,不合格,2024-03-06",
    'DC24120104000002,BG2024-0002,"山梨酸\n及其钾盐(以山梨酸计)",未检出,g/kg,≤0.5,0.005,合格,不合格,2024-03-06',
    "DC24120104000003,BG2024-0003,酸价(以脂肪计)(KOH),1.2,mg/g,≤3,,合格,合格,2024-03-07",
]
# Physical lines: header 1, rows 2, 3, 4, 5-6 (quoted line break), 7.


def text(newline):
    body = "\n".join([HEADER] + ROWS) + "\n"
    return body.replace("\n", newline) if newline != "\n" else body


with open("results-utf8.csv", "wb") as f:
    f.write(text("\n").encode("utf-8"))
with open("results-bom-crlf.csv", "wb") as f:
    f.write(b"\xef\xbb\xbf" + text("\r\n").encode("utf-8"))
with open("results-gb18030.csv", "wb") as f:
    f.write(text("\r\n").encode("gb18030"))

# Neither UTF-8 nor GB18030: a lone 0xFF byte on line 3.
with open("bad-encoding.csv", "wb") as f:
    f.write(HEADER.encode("gb18030") + b"\n" + ROWS[0].encode("gb18030") + b"\n"
            + b"DC24120104000001,BG2024-0001,\xff\n")
# UTF-8 text with one broken byte on line 4: must not be misread as GB18030.
with open("broken-utf8.csv", "wb") as f:
    f.write((HEADER + "\n" + ROWS[0] + "\n" + ROWS[2] + "\n").encode("utf-8")
            + "DC24120104000003,BG2024-0003,酸价".encode("utf-8") + b"\xe9\x85\n")

with open("results.json", "w", encoding="utf-8") as f:
    f.write("""[
  {"sampling_no": "DC24120104000001", "report_no": "BG2024-0001",
   "item": "铅(以Pb计)", "result": 0.12, "unit": "mg/kg", "limit": "≤0.5",
   "lod": 0.01, "item_verdict": "pass", "conclusion": "pass", "test_date": "2024-03-05"},
  {
    "抽样单编号": "DC24120104000002",
    "报告编号": "BG2024-0002",
    "检验项目": "苯甲酸及其钠盐(以苯甲酸计)",
    "检验结果": "0.62",
    "单位": "g/kg",
    "标准限值": "≤0.5",
    "检出限": null,
    "单项判定": "不合格",
    "结论": "不合格",
    "检验日期": "2024-03-06"
  }
]
""")

BUSINESSES = """统一社会信用代码,许可证编号,名称,环节,街道,地址,风险等级,经营类别,状态
91350100M000100Y43,JY11201040000001,南开区示例超市有限公司,流通,120104001,长虹街道示例路1号,B,01;04、33,是
91110108551385082Q,SC10612010400001,天津示例食品厂,生产,鼓楼街道,,C,24,1
"""
with open("businesses-gb18030.csv", "wb") as f:
    f.write(BUSINESSES.replace("\n", "\r\n").encode("gb18030"))

# XLSX fixtures. results-libreoffice.xlsx is results-utf8.csv saved by
# LibreOffice Calc 7.4 (Debian 12's libreoffice-calc-nogui):
#   soffice --headless --infilter="CSV:44,34,76,1" --convert-to xlsx results-utf8.csv
#   mv results-utf8.xlsx results-libreoffice.xlsx
# The two below are made here with Python's zipfile.
import zipfile

WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)

# A zip bomb: a worksheet of 300 MiB (white space inside the sheet element)
# that deflates to a few hundred KiB.
with zipfile.ZipFile("bomb.xlsx", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    z.writestr("xl/workbook.xml", WORKBOOK)
    z.writestr("xl/_rels/workbook.xml.rels", RELS)
    with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
        f.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
        block = b" " * (1 << 20)
        for _ in range(300):
            f.write(block)
        f.write(b"<sheetData/></worksheet>")

# A zip archive that is not a workbook.
with zipfile.ZipFile("not-a-workbook.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("readme.txt", "just a zip\n")
