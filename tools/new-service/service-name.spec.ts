import { NewServiceError } from './new-service-error';
import { checkNewService, parsePort, serviceNames, type Workspace } from './service-name';

const workspace: Workspace = {
  ports: new Map([
    ['gateway', 8080],
    ['profile', 8082],
    ['notifier', 8085],
    ['ml-serving', 8086],
  ]),
  taken: new Map([
    ['profile', 'the Nx project in apps/profile'],
    ['service', 'the Nx project in libs/platform/service'],
    ['ml', 'the lint scope scope:ml of ml/serving'],
  ]),
  consumerFiles: new Set(['notifier', 'profile', 'billing']),
};

function refusal(run: () => unknown): NewServiceError {
  try {
    run();
  } catch (err) {
    if (err instanceof NewServiceError) return err;
    throw err;
  }
  throw new Error('expected a NewServiceError');
}

describe('new service names and ports', () => {
  it('derives every spelling the templates use', () => {
    expect(serviceNames('field-notes')).toEqual({ name: 'field-notes', camel: 'fieldNotes', Pascal: 'FieldNotes', CONST: 'FIELD_NOTES', snake: 'field_notes' });
    expect(serviceNames('notes2')).toMatchObject({ camel: 'notes2', Pascal: 'Notes2', CONST: 'NOTES2' });
  });

  it.each(['Notes', 'notes_app', '2notes', '-notes', 'notes-', 'field--notes', 'no tes', '', 'a'.repeat(31)])('refuses the name %j', (name) => {
    const error = refusal(() => serviceNames(name));
    expect(error.code).toBe('NEW_SERVICE_INVALID_NAME');
    expect(error.message).toContain('lower-case letters and digits');
  });

  it('takes the port after the highest in DEFAULT_PORTS by default', () => {
    expect(checkNewService(workspace, { name: 'field-notes' })).toMatchObject({ names: { name: 'field-notes' }, port: 8087 });
  });

  it('takes a free port that is asked for', () => {
    expect(checkNewService(workspace, { name: 'field-notes', port: 8081 }).port).toBe(8081);
  });

  it('refuses a port another service has, naming it', () => {
    const error = refusal(() => checkNewService(workspace, { name: 'field-notes', port: 8082 }));
    expect(error.code).toBe('NEW_SERVICE_PORT_TAKEN');
    expect(error.message).toContain("port 8082 is already profile's in DEFAULT_PORTS");
  });

  it('refuses a name in use, saying where', () => {
    expect(refusal(() => checkNewService(workspace, { name: 'profile' })).message).toContain('the Nx project in apps/profile');
    expect(refusal(() => checkNewService(workspace, { name: 'service' })).message).toContain('libs/platform/service');
    expect(refusal(() => checkNewService(workspace, { name: 'ml' })).message).toContain('scope:ml');
    expect(refusal(() => checkNewService(workspace, { name: 'billing' })).message).toContain('deploy/nats/consumers/billing.json');
  });

  it('refuses a planned service listed in DEFAULT_PORTS without code', () => {
    const error = refusal(() => checkNewService(workspace, { name: 'notifier' }));
    expect(error.code).toBe('NEW_SERVICE_NAME_TAKEN');
    expect(error.message).toContain('"notifier" is a planned service, already in DEFAULT_PORTS');
    expect(error.message).toContain('port 8085');
  });

  it('reads --port values from 1024 to 65535 only', () => {
    expect(parsePort('8090')).toBe(8090);
    for (const raw of ['80', '65536', '8090.5', '-1', 'http', '', '1e4']) {
      expect(refusal(() => parsePort(raw)).code).toBe('NEW_SERVICE_INVALID_PORT');
    }
  });

  it('says so when no port is left above the highest', () => {
    const full = { ...workspace, ports: new Map([['edge', 65535]]) };
    expect(refusal(() => checkNewService(full, { name: 'field-notes' })).message).toContain('pass --port');
  });
});
