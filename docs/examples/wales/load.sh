#!/bin/sh
# The Wales worked example: real boundaries (Senedd regions and constituencies, the 22 councils,
# the wards of four of them), the Senedd members from EveryPolitician, the councils as public
# bodies with a report contact per category. Every step is re-runnable: a second run updates.
# Run from the project root with the profile and database set, as `make wales` does:
#   PLAZA_PROFILE=gb-wls DATABASE_URL=sqlite:///$PWD/instance/wales.db sh docs/examples/wales/load.sh
# The boundaries and members are the small copies in tests/data/wales/ (tests/data/SOURCE.md says
# where they come from and how to fetch the whole files); the councils' addresses are made up
# (…council.example): put the real ones in councils.csv and contacts.csv before going live.
set -eu
FLASK=${FLASK:-.venv/bin/flask}
D=${WALES_DATA:-tests/data/wales}  # or the whole files, downloaded (tests/data/SOURCE.md)
E=docs/examples/wales

$FLASK areas type SPE --level 1 --name en="Senedd region" --name cy="Rhanbarth y Senedd"
$FLASK areas type SPC --level 2 --name en="Senedd constituency" --name cy="Etholaeth y Senedd"
$FLASK areas type UTA --level 2 --name en="Council" --name cy="Cyngor"
$FLASK areas type UTW --level 3 --name en="Ward" --name cy="Ward"
$FLASK areas import-geojson $D/nawer.json --type SPE --name-field NAWER13NM --name-lang en \
    --name-field-cy NAWER13NMW --code-field NAWER13CD --code-scheme gss
$FLASK areas import-geojson $D/nawc.json --type SPC --name-field NAWC13NM --name-lang en \
    --code-field NAWC13CD --code-scheme gss --parent-type SPE
$FLASK areas import-geojson $D/lad.json --type UTA --name-field LAD13NM --name-lang en \
    --name-field-cy LAD13NMW --code-field LAD13CD --code-scheme gss
$FLASK areas import-geojson $D/wards_by_lad --type UTW --name-field WD13NM --name-lang en \
    --name-field-cy WD13NMW --code-field WD13CD --code-scheme gss --parent-type UTA
$FLASK directory import-popolo $D/ep-popolo-v1.0.json --area-type SPC --area-type SPE
$FLASK directory import-bodies $E/councils.csv
$FLASK reports import-contacts $E/contacts.csv
echo "Wales is loaded. Try http://127.0.0.1:${PORT:-5000}/en/reports/new?q=51.4816,-3.1791 (Cardiff)."
