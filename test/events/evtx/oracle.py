#!/usr/bin/python3
"""EVTX oracle driver for test/events/evtx/oracles.test.ts.

Usage: oracle.py evtxexport|pyevtx < list-of-files
Prints one JSON line per file: {"file", "records": [{id, eid, ts, computer, channel, provider, system, data}], "errors": [...]}
where system is a list of [name, text] pairs for every System element ("Channel") and attribute
("Provider@Guid"), and data a list of [name, text] pairs from EventData (Data Name=..., other
children by tag) and UserData (leaf elements by tag). Values are as the oracle prints them; the
test normalizes.
"""
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

NS = '{http://schemas.microsoft.com/win/2004/08/events/event}'
BAD_XML_CHARS = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f]')


def local(tag):
    return tag.split('}', 1)[1] if '}' in tag else tag


def leaves(el, out):
    kids = list(el)
    if not kids:
        out.append([local(el.tag), el.text or ''])
        return
    for k in kids:
        leaves(k, out)


def summarize(xml_text):
    xml_text = BAD_XML_CHARS.sub('', xml_text)
    root = ET.fromstring(xml_text)
    sysel = root.find(NS + 'System')
    def text(name):
        e = sysel.find(NS + name) if sysel is not None else None
        return None if e is None else (e.text or '')
    prov = sysel.find(NS + 'Provider') if sysel is not None else None
    tc = sysel.find(NS + 'TimeCreated') if sysel is not None else None
    system = []
    for e in (sysel if sysel is not None else []):
        name = local(e.tag)
        system.append([name, e.text or ''])
        for k, v in e.attrib.items():
            system.append([name + '@' + local(k), v])
    data = []
    for child in root:
        tag = local(child.tag)
        if tag == 'EventData':
            for d in child:
                if local(d.tag) == 'Data':
                    data.append([d.get('Name') or 'Data', d.text or ''])
                else:
                    leaves(d, data)
        elif tag == 'UserData':
            for d in child:
                leaves(d, data)
    return {
        'id': text('EventRecordID'),
        'eid': text('EventID'),
        'ts': tc.get('SystemTime') if tc is not None else None,
        'computer': text('Computer'),
        'channel': text('Channel'),
        'provider': prov.get('Name') if prov is not None else None,
        'system': system,
        'data': data,
    }


def run_evtxexport(path):
    out = subprocess.run(['evtxexport', '-f', 'xml', path], capture_output=True, timeout=300)
    txt = out.stdout.decode('utf-8', 'replace')
    records, errors = [], []
    for m in re.finditer(r'<Event xmlns=.*?</Event>', txt, re.S):
        try:
            records.append(summarize(m.group(0)))
        except Exception as e:  # noqa: BLE001
            errors.append('xml: %s' % e)
    if out.returncode != 0:
        errors.append('exit %d: %s' % (out.returncode, out.stderr.decode('utf-8', 'replace')[-300:]))
    return records, errors


def run_pyevtx(path):
    import Evtx.Evtx as evtx
    records, errors = [], []
    try:
        with evtx.Evtx(path) as log:
            for rec in log.records():
                try:
                    records.append(summarize(rec.xml()))
                except Exception as e:  # noqa: BLE001
                    errors.append('record: %s' % e)
    except Exception as e:  # noqa: BLE001
        errors.append('file: %s' % e)
    return records, errors


def main():
    mode = sys.argv[1]
    fn = run_evtxexport if mode == 'evtxexport' else run_pyevtx
    for line in sys.stdin:
        path = line.rstrip('\n')
        if not path:
            continue
        records, errors = fn(path)
        sys.stdout.write(json.dumps({'file': path, 'records': records, 'errors': errors}) + '\n')
        sys.stdout.flush()


main()
