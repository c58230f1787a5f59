#!/usr/bin/env python3
"""xlsx-dump.py FILE: prints every cell of an XLSX workbook, one line each,
as SHEET<TAB>REF<TAB>TYPE<TAB>VALUE, with TYPE "n" for a number and "s" for
text, then "charts<TAB>N", the number of native charts in the workbook. Only the standard library (zipfile, xml), so the tests read back what
the writer made without the library that wrote it."""
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

with zipfile.ZipFile(sys.argv[1]) as z:
    names = set(z.namelist())
    shared = []
    if "xl/sharedStrings.xml" in names:
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            shared.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    rels = {}
    for rel in ET.fromstring(z.read("xl/_rels/workbook.xml.rels")):
        rels[rel.get("Id")] = rel.get("Target")
    book = ET.fromstring(z.read("xl/workbook.xml"))
    for sheet in book.find("m:sheets", NS):
        target = rels[sheet.get(REL)].lstrip("/")
        path = target if target.startswith("xl/") else "xl/" + target
        root = ET.fromstring(z.read(path))
        for c in root.iter("{%s}c" % NS["m"]):
            kind = c.get("t", "n")
            v = c.find("m:v", NS)
            if kind == "s":
                value, kind = shared[int(v.text)], "s"
            elif kind == "inlineStr":
                value, kind = "".join(t.text or "" for t in c.iter("{%s}t" % NS["m"])), "s"
            elif kind == "str":
                value, kind = (v.text if v is not None else ""), "s"
            else:
                value = v.text if v is not None else ""
            print("%s\t%s\t%s\t%s" % (sheet.get("name"), c.get("r"), kind, value))
    print("charts\t%d" % sum(1 for n in names if n.startswith("xl/charts/chart")))
