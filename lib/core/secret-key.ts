import * as kplus from 'cdk8s-plus-28';
import { mistake } from './errors';
import { checkArguments } from './jsii-types';

/** One key of a Kubernetes Secret: where the operator reads a credential from. Values never reach a manifest. */
export class SecretKey {
  /**
   * Refers to `key` of `secret`.
   * @param secret the Secret, defined in the app or imported with `kplus.Secret.fromSecretName`
   * @param key the key inside the Secret
   */
  public static of(secret: kplus.ISecret, key: string): SecretKey {
    checkArguments('SecretKey.of', 'cdk8s-omnia.SecretKey', 'of', [secret, key]);
    if (!/^[-._a-zA-Z0-9]+$/.test(key) || key.length > 253) {
      throw mistake(`${secret.node.path}: key: ${JSON.stringify(key)} is not a valid Secret key (letters, digits, '-', '_', '.')`);
    }
    return new SecretKey(secret, key);
  }

  private constructor(
    /** The Secret. */
    public readonly secret: kplus.ISecret,
    /** The key inside the Secret. */
    public readonly key: string,
  ) {}

  /** @internal */
  public _toRef(): { name: string; key: string } {
    return { name: this.secret.name, key: this.key };
  }
}
