"""The staff's pages (``/medarbejder/``), one module per part of the work.

- ``common``: paging, the case rows of every list, small parsing helpers
- ``login``: log in and out, the start page
- ``screening``: the screening queue and the screening form (the delivery plan proposed)
- ``register``: an inquiry that came by phone, e-mail, letter or meeting
- ``case_lists``: my cases, the department's inbox, search
- ``case``: the case page and everything done on it (plan, messages, answers, decision)
- ``tasks``: a department's task taken, given, done
- ``business``: the business and its fixed contact person
- ``dashboard``: the promise dashboard, the cases behind a figure, its CSV files
- ``survey_comments``: what businesses wrote in the satisfaction surveys
- ``inspection_register``, ``inspection_visits``: environmental inspection (register and
  plan; visits carried out as cases of the business)
"""
