"""The GraphQL documents the Shopify connector sends (Admin API, every version in
``client.API_VERSIONS``)."""

PRIMARY_LOCATION = "query PrimaryLocation { location { id } }"

VARIANT_FIELDS = """
  id sku barcode price updatedAt
  product { id title status updatedAt }
  inventoryItem { id }
"""

VARIANT_BY_SKU = f"""
query VariantBySku($q: String!) {{
  productVariants(first: 1, query: $q) {{ nodes {{ {VARIANT_FIELDS} }} }}
}}
"""

# A variant as the catalog lists it: its option values, and its product's options in
# their order (a product without options shows Shopify's default "Title" option) and
# how many variants it has, to tell a product listed whole.
LISTED_FIELDS = """
  id sku barcode price updatedAt selectedOptions { name value }
  product { id title status updatedAt options { name } variantsCount { count } }
  inventoryItem { id }
"""

VARIANTS = f"""
query Variants($after: String) {{
  productVariants(first: 100, after: $after, sortKey: ID) {{
    nodes {{ {LISTED_FIELDS} }}
    pageInfo {{ hasNextPage endCursor }}
  }}
}}
"""

LEVEL = "quantities(names: [\"available\"]) { quantity }"

SET_QUANTITIES = """
mutation SetStock($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    userErrors { code field message }
  }
}
"""

PRODUCT_CREATE = """
mutation CreateProduct($product: ProductCreateInput!) {
  productCreate(product: $product) { product { id } userErrors { field message } }
}
"""

PRODUCT_UPDATE = """
mutation UpdateProduct($product: ProductUpdateInput!) {
  productUpdate(product: $product) { product { id } userErrors { field message } }
}
"""

VARIANTS_CREATE = """
mutation CreateVariants($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
  productVariantsBulkCreate(productId: $productId, variants: $variants,
                            strategy: REMOVE_STANDALONE_VARIANT) {
    productVariants { id inventoryItem { id } }
    userErrors { code field message }
  }
}
"""

VARIANTS_UPDATE = """
mutation UpdateVariants($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
  productVariantsBulkUpdate(productId: $productId, variants: $variants) {
    userErrors { code field message }
  }
}
"""

CUSTOMER_CONTACT = (
    "defaultEmailAddress { emailAddress } defaultPhoneNumber { phoneNumber }"
)


SHOP_MONEY = "shopMoney { amount }"


def _order_fields(lines: int) -> str:
    """An order with up to ``lines`` line items and what the shop charged for them;
    kept small, as cost grows with page sizes (about 660 points of the 1,000 a query may
    cost)."""
    return f"""
  id updatedAt cancelledAt email phone sourceIdentifier
  currencyCode taxesIncluded displayFinancialStatus paymentGatewayNames
  totalPriceSet {{ {SHOP_MONEY} }} totalTaxSet {{ {SHOP_MONEY} }}
  transactions(first: 5) {{ gateway kind status }}
  customer {{ {CUSTOMER_CONTACT} firstName lastName }}
  retailLocation {{ id }}
  lineItems(first: {lines}) {{
    nodes {{
      sku quantity originalUnitPriceSet {{ {SHOP_MONEY} }}
      discountAllocations {{
        allocatedAmountSet {{ {SHOP_MONEY} }} discountApplication {{ targetSelection }}
      }}
      taxLines {{ priceSet {{ {SHOP_MONEY} }} rate }}
    }}
  }}
  shippingLines(first: 5) {{
    nodes {{
      title discountedPriceSet {{ {SHOP_MONEY} }} taxLines {{ priceSet {{ {SHOP_MONEY} }} rate }}
    }}
  }}
  refunds(first: 3) {{
    id totalRefundedSet {{ {SHOP_MONEY} }}
    refundLineItems(first: {lines}) {{
      nodes {{ quantity restocked lineItem {{ sku }} subtotalSet {{ {SHOP_MONEY} }}
               totalTaxSet {{ {SHOP_MONEY} }} }}
    }}
    refundShippingLines(first: 5) {{
      nodes {{ subtotalAmountSet {{ {SHOP_MONEY} }} taxAmountSet {{ {SHOP_MONEY} }} }}
    }}
  }}
"""


ORDER = f"query Order($id: ID!) {{ order(id: $id) {{ {_order_fields(30)} }} }}"

ORDER_CHANGES = """
query OrderChanges($q: String, $after: String) {
  orders(first: 100, after: $after, query: $q, sortKey: UPDATED_AT) {
    nodes { id updatedAt }
    pageInfo { hasNextPage endCursor }
  }
}
"""

PRODUCT = f"""
query Product($id: ID!) {{
  product(id: $id) {{ variants(first: 100) {{ nodes {{ {LISTED_FIELDS} }} }} }}
}}
"""

ORDER_BY_SOURCE = """
query OrderBySource($q: String!) {
  orders(first: 5, query: $q) { nodes { id sourceIdentifier } }
}
"""

ORDER_CREATE = """
mutation CreateOrder($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {
  orderCreate(order: $order, options: $options) {
    order { id } userErrors { code field message }
  }
}
"""

ORDER_REFUNDS = """
query OrderRefunds($id: ID!) {
  order(id: $id) {
    lineItems(first: 50) { nodes { id sku refundableQuantity } }
    refunds(first: 50) { id note }
  }
}
"""

REFUND_CREATE = """
mutation Refund($input: RefundInput!, $key: String!) {
  refundCreate(input: $input) @idempotent(key: $key) {
    refund { id } userErrors { field message }
  }
}
"""

CUSTOMER_FIELDS = f"id {CUSTOMER_CONTACT} firstName lastName updatedAt"

CUSTOMER = f"query Customer($id: ID!) {{ customer(id: $id) {{ {CUSTOMER_FIELDS} }} }}"

CUSTOMERS = f"""
query Customers($q: String, $after: String) {{
  customers(first: 100, after: $after, query: $q, sortKey: UPDATED_AT) {{
    nodes {{ {CUSTOMER_FIELDS} }}
    pageInfo {{ hasNextPage endCursor }}
  }}
}}
"""

CUSTOMER_CREATE = f"""
mutation CreateCustomer($input: CustomerInput!) {{
  customerCreate(input: $input) {{
    customer {{ {CUSTOMER_FIELDS} }} userErrors {{ field message }}
  }}
}}
"""

CUSTOMER_UPDATE = f"""
mutation UpdateCustomer($input: CustomerInput!) {{
  customerUpdate(input: $input) {{
    customer {{ {CUSTOMER_FIELDS} }} userErrors {{ field message }}
  }}
}}
"""

WEBHOOKS = """
query Webhooks { webhookSubscriptions(first: 50) { nodes { id topic uri } } }
"""

WEBHOOK_CREATE = """
mutation Subscribe($topic: WebhookSubscriptionTopic!, $sub: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $sub) {
    webhookSubscription { id } userErrors { field message }
  }
}
"""

# The mutation a bulk operation runs once per line of ``product_set.jsonl``. A bulk
# mutation may read one connection: the product's variants, up to 250 of them.
PRODUCT_SET_BULK = """
mutation call($identifier: ProductSetIdentifiers, $input: ProductSetInput!) {
  productSet(identifier: $identifier, input: $input, synchronous: true) {
    product { id variants(first: 250) { nodes { id sku inventoryItem { id } } } }
    userErrors { code field message }
  }
}
"""

STAGED_UPLOAD = """
mutation Stage($input: [StagedUploadInput!]!) {
  stagedUploadsCreate(input: $input) {
    stagedTargets { url parameters { name value } }
    userErrors { field message }
  }
}
"""

BULK_RUN = """
mutation RunBulk($mutation: String!, $path: String!) {
  bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $path) {
    bulkOperation { id status }
    userErrors { code field message }
  }
}
"""

BULK_FIELDS = "id status errorCode objectCount url partialDataUrl"

BULK_OPERATION = f"query Bulk($id: ID!) {{ bulkOperation(id: $id) {{ {BULK_FIELDS} }} }}"

BULK_RUNNING = f"""
query RunningBulk {{
  bulkOperations(first: 5, query: "operation_type:mutation status:running") {{
    nodes {{ {BULK_FIELDS} }}
  }}
}}
"""

BULK_CANCEL = """
mutation CancelBulk($id: ID!) {
  bulkOperationCancel(id: $id) { bulkOperation { id status } userErrors { field message } }
}
"""
