"""The businesses' pages, one module per part of the journey.

- ``common``: the case a business user may see (or 404), field ids shared by several pages
- ``front``: the front page, the accessibility statement, the privacy page
- ``login``: log in and out, switching the business acted for
- ``inquiry``: a new inquiry, step by step (matters, questions, documents, review)
- ``cases``: my cases, the receipt, the case page
- ``case_actions``: what a business does on its case: answers, documents, a visit time,
  a message, withdrawing it
"""
