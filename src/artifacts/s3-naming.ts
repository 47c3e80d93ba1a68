import { IConstruct } from 'constructs';
import { invalid } from '../common/errors';

const BUCKET = /^(?!xn--)(?!sthree-)(?!amzn-s3-demo-)(?!.*-s3alias$)(?!.*--ol-s3$)(?!.*--x-s3$)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$/;
const OTHER_REGION = /^[a-z0-9][a-z0-9_-]{0,62}$/;


/** An S3 bucket name (general purpose bucket rules). */
export function checkBucket(scope: IConstruct, prop: string, bucket: string): string {
  if (typeof bucket !== 'string' || !BUCKET.test(bucket) || bucket.includes('..') || bucket.includes('.-') || bucket.includes('-.')) {
    invalid(scope, prop, bucket, "must be an S3 bucket name: 3-63 characters of a-z, 0-9, '.' and '-', starting and ending with a letter or digit, not an IP address");
  }
  return bucket;
}

/** A key prefix inside the bucket, without leading or trailing '/'. */
export function checkPrefix(scope: IConstruct, prop: string, prefix: string | undefined): string {
  if (prefix === undefined) return '';
  const p = typeof prefix === 'string' ? prefix.replace(/^\/+|\/+$/g, '') : '';
  if (p.length === 0 || p.length > 512 || /[^A-Za-z0-9!_.*'()\/-]/.test(p) || p.includes('//')) {
    invalid(scope, prop, prefix, "must be a non-empty S3 key prefix of letters, digits and !_.*'()/- (no '//')");
  }
  return p;
}

/** An AWS region such as `eu-west-1`. */
export function checkAwsRegion(scope: IConstruct, prop: string, region: string): string {
  if (typeof region !== 'string' || !AWS_REGION.test(region)) {
    invalid(scope, prop, region, "must be an AWS region such as 'eu-west-1' or 'us-gov-west-1'");
  }
  return region;
}

/** A region name of an S3-compatible store (MinIO, Ceph RGW...: free-form but simple). */
export function checkOtherRegion(scope: IConstruct, prop: string, region: string): string {
  if (typeof region !== 'string' || !OTHER_REGION.test(region)) {
    invalid(scope, prop, region, "must be a region name of a-z, 0-9, '-' and '_' (up to 63 characters), e.g. 'us-east-1'");
  }
  return region;
}

/** `s3://bucket[/prefix]`. */
export function s3Uri(bucket: string, prefix: string): string {
  return `s3://${bucket}${prefix ? `/${prefix}` : ''}`;
}
