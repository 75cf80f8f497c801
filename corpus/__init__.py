"""The page composer: labelled newspaper pages built from the real articles in ``../shared/corpus/``.

A composed page is real article text set in one of ten house styles (how a paper prints bylines,
datelines, kickers, captions, furniture and jump markers) and one texture (a clean line per block,
or a multi-column PDF drawn with reportlab and read back with pypdfium2), in Simplified or
Traditional script. Every line carries its role and item, and every item its truth, known by
construction; the pages train and evaluate the line-level page-structure model.

Layers, each importing only those before it:

* ``labels``: the data model (ROLES, TruthItem, LabelledLine, ComposedPage);
* ``parse``, ``records``, ``splits``, ``pools``: the corpus as printed pages, split by date, and
  the real names, places, organisations and column tags the conventions are dressed with;
* ``script``, ``styles``, ``credits``, ``bylines``, ``photo_credits``, ``blocks``, ``stories``,
  ``page``: a logical page, role-tagged blocks in reading order with its truth items;
* ``clean`` and ``pdf_text``, ``pdf_layout``, ``pdf_stories``, ``pdf_draw``, ``pdf_extract``,
  ``pdf_texture``, ``pdf_page``: the textures;
* ``compose``: the entry points and ``python -m corpus.compose``; ``checks``: does a page's
  labelling agree with its truth; ``bench_extractors``: pypdfium2 against pdfminer.six.

May import: the standard library, opencc, jieba (word boundaries for headline breaks), reportlab
and pypdfium2 (pdfminer.six only in ``bench_extractors``), and ``stages`` where the composer must
read as newsflow reads (``stages.text.pdf_lines``: the PDF textures are the text and type sizes
newsflow's PDF reader gives). Never ``tasks``, ``models`` or ``workers``; nothing here is
imported by the pipeline. The corpus is read at run time and
nothing built from it is written inside the repository.
"""
