import { createAclsV3, deleteAclsV3, describeAclsV3 } from '@platformatic/kafka'
import { describe, expect, it } from 'vitest'
import {
  createAclsVersions,
  decodeCreateAclsRequest,
  decodeCreateAclsResponse,
  encodeCreateAclsRequest,
  encodeCreateAclsResponse,
  type CreateAclsResponse,
} from '../../../../../core/kafka/protocol/apis/create-acls.ts'
import {
  decodeDeleteAclsRequest,
  decodeDeleteAclsResponse,
  deleteAclsVersions,
  encodeDeleteAclsRequest,
  encodeDeleteAclsResponse,
  type DeleteAclsResponse,
} from '../../../../../core/kafka/protocol/apis/delete-acls.ts'
import {
  decodeDescribeAclsRequest,
  decodeDescribeAclsResponse,
  describeAclsVersions,
  encodeDescribeAclsRequest,
  encodeDescribeAclsResponse,
  type AclFilter,
  type DescribeAclsResponse,
} from '../../../../../core/kafka/protocol/apis/describe-acls.ts'
import { decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody } from '../../../../support/kafkajs-protocol.ts'
import { platformaticParseResponse, platformaticRequestBody } from '../../../../support/platformatic-protocol.ts'

const creation = {
  resourceType: 2,
  resourceName: 'orders',
  resourcePatternType: 4,
  principal: 'User:alice',
  host: '*',
  operation: 4,
  permissionType: 3,
}
const filter: AclFilter = {
  resourceTypeFilter: 2,
  resourceNameFilter: 'orders',
  patternTypeFilter: 2,
  principalFilter: null,
  hostFilter: '*',
  operation: 1,
  permissionType: 1,
}
const created: CreateAclsResponse = {
  throttleTimeMs: 0,
  results: [
    { errorCode: 0, errorMessage: null },
    { errorCode: 42, errorMessage: 'invalid principal' },
  ],
}
const described: DescribeAclsResponse = {
  throttleTimeMs: 0,
  errorCode: 0,
  errorMessage: null,
  resources: [
    {
      resourceType: 2,
      resourceName: 'orders',
      patternType: 4,
      acls: [{ principal: 'User:alice', host: '*', operation: 4, permissionType: 3 }],
    },
  ],
}
const deleted: DeleteAclsResponse = {
  throttleTimeMs: 0,
  filterResults: [
    {
      errorCode: 0,
      errorMessage: null,
      matchingAcls: [
        {
          errorCode: 0,
          errorMessage: null,
          resourceType: 2,
          resourceName: 'orders',
          patternType: 4,
          principal: 'User:alice',
          host: '*',
          operation: 4,
          permissionType: 3,
        },
      ],
    },
  ],
}
/** v0 has no pattern type: everything is LITERAL (3). */
const atV0 = <T>(value: T): T =>
  JSON.parse(
    JSON.stringify(value)
      .replaceAll('"resourcePatternType":4', '"resourcePatternType":3')
      .replaceAll('"patternType":4', '"patternType":3')
      .replaceAll('"patternTypeFilter":2', '"patternTypeFilter":3'),
  ) as T

describe('ACL codecs', () => {
  it.each(eachVersion(createAclsVersions))('CreateAcls round-trips at v%i (flexible: %s)', (v, flexible) => {
    const request = v === 0 ? atV0({ creations: [creation] }) : { creations: [creation] }
    expect(roundTrip(encodeCreateAclsRequest, decodeCreateAclsRequest, v, flexible, request)).toEqual(request)
    expect(roundTrip(encodeCreateAclsResponse, decodeCreateAclsResponse, v, flexible, created)).toEqual(created)
  })

  it.each(eachVersion(describeAclsVersions))('DescribeAcls round-trips at v%i (flexible: %s)', (v, flexible) => {
    const request = v === 0 ? atV0(filter) : filter
    expect(roundTrip(encodeDescribeAclsRequest, decodeDescribeAclsRequest, v, flexible, request)).toEqual(request)
    const response = v === 0 ? atV0(described) : described
    expect(roundTrip(encodeDescribeAclsResponse, decodeDescribeAclsResponse, v, flexible, response)).toEqual(response)
  })

  it.each(eachVersion(deleteAclsVersions))('DeleteAcls round-trips at v%i (flexible: %s)', (v, flexible) => {
    const request = v === 0 ? atV0({ filters: [filter] }) : { filters: [filter] }
    expect(roundTrip(encodeDeleteAclsRequest, decodeDeleteAclsRequest, v, flexible, request)).toEqual(request)
    const response = v === 0 ? atV0(deleted) : deleted
    expect(roundTrip(encodeDeleteAclsResponse, decodeDeleteAclsResponse, v, flexible, response)).toEqual(response)
  })

  it('matches kafkajs at v1, as its admin client sends and reads them', async () => {
    expect(encodeAt(encodeCreateAclsRequest, 1, false, { creations: [creation] })).toEqual(
      await kafkajsRequestBody('createAcls', 1, { creations: [creation] }),
    )
    expect(
      await kafkajsDecodeResponse(
        'createAcls',
        1,
        encodeAt(encodeCreateAclsResponse, 1, false, { throttleTimeMs: 0, results: [{ errorCode: 0, errorMessage: null }] }),
      ),
    ).toMatchObject({ creationResponses: [{ errorCode: 0 }] })
    const kafkajsFilter = {
      resourceType: 2,
      resourceName: 'orders',
      resourcePatternType: 2,
      principal: null,
      host: '*',
      operation: 1,
      permissionType: 1,
    }
    expect(decodeAt(decodeDescribeAclsRequest, 1, false, await kafkajsRequestBody('describeAcls', 1, kafkajsFilter))).toEqual(filter)
    expect(await kafkajsDecodeResponse('describeAcls', 1, encodeAt(encodeDescribeAclsResponse, 1, false, described))).toMatchObject({
      resources: [{ resourceName: 'orders', resourcePatternType: 4, acls: [{ principal: 'User:alice', operation: 4 }] }],
    })
    expect(decodeAt(decodeDeleteAclsRequest, 1, false, await kafkajsRequestBody('deleteAcls', 1, { filters: [kafkajsFilter] }))).toEqual({
      filters: [filter],
    })
    expect(await kafkajsDecodeResponse('deleteAcls', 1, encodeAt(encodeDeleteAclsResponse, 1, false, deleted))).toMatchObject({
      filterResponses: [{ matchingAcls: [{ resourceName: 'orders', principal: 'User:alice' }] }],
    })
  })

  it('matches @platformatic/kafka at v3 (flexible), as the Java admin client sends them', () => {
    expect(decodeAt(decodeCreateAclsRequest, 3, true, platformaticRequestBody(createAclsV3, [creation]))).toEqual({ creations: [creation] })
    expect(
      platformaticParseResponse(
        createAclsV3,
        30,
        3,
        encodeAt(encodeCreateAclsResponse, 3, true, { throttleTimeMs: 0, results: [{ errorCode: 0, errorMessage: null }] }),
      ),
    ).toEqual({ throttleTimeMs: 0, results: [{ errorCode: 0, errorMessage: null }] })
    const body = platformaticRequestBody(describeAclsV3, 2, 'orders', 2, null, '*', 1, 1)
    expect(decodeAt(decodeDescribeAclsRequest, 3, true, body)).toEqual(filter)
    expect(platformaticParseResponse(describeAclsV3, 29, 3, encodeAt(encodeDescribeAclsResponse, 3, true, described))).toMatchObject({
      resources: described.resources,
    })
    expect(decodeAt(decodeDeleteAclsRequest, 3, true, platformaticRequestBody(deleteAclsV3, [filter]))).toEqual({ filters: [filter] })
    expect(platformaticParseResponse(deleteAclsV3, 31, 3, encodeAt(encodeDeleteAclsResponse, 3, true, deleted))).toMatchObject({
      filterResults: deleted.filterResults,
    })
  })
})
