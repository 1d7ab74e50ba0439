import { create, createFileRegistry, type DescMessage } from '@bufbuild/protobuf';
import { FieldDescriptorProto_Label, FieldDescriptorProto_Type, FileDescriptorProtoSchema, file_google_protobuf_timestamp } from '@bufbuild/protobuf/wkt';

// oo.users.v1.UserRevoked as proto/ declares it, built here because the platform libraries may
// not import @oo/contracts (the kit itself reads the message by its field names).
const field = (name: string, number: number, type: FieldDescriptorProto_Type, typeName?: string) => ({
  name,
  number,
  type,
  label: FieldDescriptorProto_Label.OPTIONAL,
  jsonName: name.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase()),
  ...(typeName ? { typeName } : {}),
});

const file = create(FileDescriptorProtoSchema, {
  name: 'oo/users/v1/users_test.proto',
  package: 'oo.users.v1',
  syntax: 'proto3',
  dependency: ['google/protobuf/timestamp.proto'],
  messageType: [
    {
      name: 'UserRevoked',
      field: [
        field('user_id', 1, FieldDescriptorProto_Type.STRING),
        field('revoked_before', 2, FieldDescriptorProto_Type.MESSAGE, '.google.protobuf.Timestamp'),
        field('session_id', 3, FieldDescriptorProto_Type.STRING),
        field('reason', 4, FieldDescriptorProto_Type.STRING),
      ],
    },
  ],
});

export const UserRevokedSchema = createFileRegistry(file, (name) => (name === 'google/protobuf/timestamp.proto' ? file_google_protobuf_timestamp : undefined)).getMessage(
  'oo.users.v1.UserRevoked',
) as DescMessage;
