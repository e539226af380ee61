"""政府信息公开工作年度报告: from report files to exact open data and a static site."""

__version__ = "0.1.0"
# Bumped whenever extraction output may change: cached parses of an older version are redone.
PARSER_VERSION = "8"  # 4: every value carries its origin (models.Origin); 5: placement findings stop the build;
# 6: statements of doubtful scope (scope_in_doubt), a grid table's header rows out of the prose;
# 7: scanned PDF pages read from their red channel (pdfium renders BGR: it was the blue one), seal ink lifted, pale rules kept;
#    a doubtful recognised number read again from its crop (formats/second_look.py); pale rules only under a seal;
# 8: a PDF table continued on the next page is one grid (formats/continued.py); a scanned table without rules
#    takes its columns from its header's words (formats/lineless.py)
